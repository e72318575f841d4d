// Types of infra/nginx.mjs for the TypeScript that uses it (tests/support/cluster.ts).
import type { ChildProcess, StdioOptions } from 'node:child_process';

export declare const NGINX: string;

export declare function nginxConfig(options: { listen: string; upstreams: string[]; dir: string }): string;

export declare function startNginx(options: {
  listen: string;
  upstreams: string[];
  dir: string;
  stdio?: StdioOptions;
}): { child: ChildProcess; exited: Promise<number>; conf: string };
