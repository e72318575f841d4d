import { createS3Storage, type S3Storage } from './s3-storage';
import { createLocalStorage, type LocalStorage } from './storage';

/** The storage settings of CommonEnv (config/env.ts). */
export interface StorageConfig {
  STORAGE: 'local' | 's3';
  STORAGE_DIR: string;
  S3_BUCKET: string;
  S3_ENDPOINT: string;
  S3_REGION: string;
  S3_ACCESS_KEY_ID: string;
  S3_SECRET_ACCESS_KEY: string;
  S3_FORCE_PATH_STYLE: boolean;
  MEDIA_PUBLIC_BASE_URL: string;
}

/** The backend a process's configuration names: the local disk or an S3-compatible bucket. */
export function createStorageFromConfig(config: StorageConfig): LocalStorage | S3Storage {
  if (config.STORAGE === 'local') {
    return createLocalStorage(config.STORAGE_DIR, { publicBaseUrl: config.MEDIA_PUBLIC_BASE_URL });
  }
  return createS3Storage({
    bucket: config.S3_BUCKET,
    endpoint: config.S3_ENDPOINT,
    region: config.S3_REGION,
    accessKeyId: config.S3_ACCESS_KEY_ID,
    secretAccessKey: config.S3_SECRET_ACCESS_KEY,
    forcePathStyle: config.S3_FORCE_PATH_STYLE,
    publicBaseUrl: config.MEDIA_PUBLIC_BASE_URL,
  });
}
