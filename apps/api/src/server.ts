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
