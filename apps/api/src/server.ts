import { findDemoStaff } from '@pave/core';
import { buildApp } from './app';
import { loadApiConfig } from './config';

let config;
try {
  config = loadApiConfig(process.env);
} catch (error) {
  console.error((error as Error).message);
  process.exit(1);
}

const app = await buildApp(config);
if (config.NODE_ENV === 'production') {
  // Demo accounts have published passwords: a public service must not open with any of them.
  const demo = await findDemoStaff(app.deps.db);
  if (demo.length > 0) {
    console.error(
      `refusing to start: NODE_ENV is production and demo staff accounts are active (${demo.join(', ')}); ` +
        "deactivate them (UPDATE staff_users SET is_active = false WHERE email LIKE '%@demo.pave') " +
        'and seed production databases with `npm run seed -- --city-only`.',
    );
    await app.close();
    process.exit(1);
  }
}
const closeGracefully = async (signal: string): Promise<void> => {
  app.log.info({ signal }, 'closing');
  const timer = setTimeout(() => process.exit(1), 10_000);
  timer.unref();
  await app.close();
  process.exit(0);
};
process.once('SIGTERM', () => void closeGracefully('SIGTERM'));
process.once('SIGINT', () => void closeGracefully('SIGINT'));

try {
  await app.listen({ host: config.HOST, port: config.PORT });
} catch (error) {
  app.log.fatal({ err: error }, 'cannot listen');
  process.exit(1);
}
