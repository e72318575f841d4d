// What the report form shows after its first step, and after sending: one chunk (with Leaflet beside
// it), fetched once the photo step has loaded and is idle, while the resident takes the photo.
export { CategoryField } from './category-field';
export { CategorySuggestions } from './category-suggestions';
export { DescriptionField } from './description-field';
export { DuplicatePanel } from './duplicate-panel';
export { LocationFieldset } from './location-fieldset';
export { PhotoPositionOffer } from './photo-position-offer';
export { PlaceSummary } from './place-summary';
export { ReportCreated } from './report-created';
export { SeverityField } from './severity-field';
export { SupportConfirmation } from './support-confirmation';
