export * from './areas';
export * from './categories';
export * from './errors';
export * from './geo';
export * from './i18n';
export * from './jobs';
export * from './photos';
export * from './reports';
