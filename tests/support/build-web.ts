import { execFileSync } from 'node:child_process';

/** Builds the web app once before the browser tests, which drive the built files as users get them. */
export default function buildWeb(): void {
  execFileSync('npm', ['run', 'build', '-w', '@pave/web'], { stdio: 'inherit' });
}
