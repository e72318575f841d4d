export { I18nProvider, useI18n, withStaffMessages, type I18n, type Vars } from './i18n-context';
export type { MessageKey } from './fr';
