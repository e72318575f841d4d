import { loadWorkerConfig } from './config';
import { startWorker } from './runtime';

let config;
try {
  config = loadWorkerConfig(process.env);
} catch (error) {
  console.error((error as Error).message);
  process.exit(1);
}

const runtime = await startWorker(config);
runtime.logger.info(
  {
    concurrency: config.WORKER_CONCURRENCY,
    photoConcurrency: config.PHOTO_WORKER_CONCURRENCY,
    prefix: config.QUEUE_PREFIX,
  },
  'worker started',
);

const closeGracefully = async (signal: string): Promise<void> => {
  runtime.logger.info({ signal }, 'closing');
  const timer = setTimeout(() => process.exit(1), 15_000);
  timer.unref();
  await runtime.close();
  process.exit(0);
};
process.once('SIGTERM', () => void closeGracefully('SIGTERM'));
process.once('SIGINT', () => void closeGracefully('SIGINT'));
