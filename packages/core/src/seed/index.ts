// The seeds and the benchmark fixture, for the command-line tools, tests and benchmarks only: no
// production code imports `@pave/core/seed` (the API and the worker use `@pave/core`).
export * from './ban-fixture';
export * from './bench-fixture';
export * from './city';
export * from './demo-reports';
export * from './demo-staff';
export * from './demo-towns';
export * from './random';
export * from './towns';
