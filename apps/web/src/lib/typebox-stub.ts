// The web app's stand-in for TypeBox (vite.config.ts aliases `typebox` to this file). The web imports
// constants and `Static<>` types from @pave/shared, whose modules also build the API's schemas when
// loaded; the browser never validates with them, so it need not download TypeBox (about 12 KB gzip on
// the first screen). Each builder returns a plain object; `Type.Object` keeps its properties, which
// shared modules spread into other schemas.
type Builder = (...args: unknown[]) => { properties?: unknown };

const build: Builder = (first) =>
  first !== null && typeof first === 'object' && !Array.isArray(first) ? { properties: first } : {};

export const Type = new Proxy({} as Record<string, Builder>, { get: () => build });
