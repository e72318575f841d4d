// Types of infra/build-server.mjs for the TypeScript that uses it (tests/support/storm.ts).
export declare function buildServers(outDir?: string): Promise<{ api: string; worker: string }>;
