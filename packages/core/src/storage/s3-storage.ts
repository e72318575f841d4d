import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import type { Readable } from 'node:stream';
import {
  checkStorageKey,
  contentTypeOfKey,
  isPublicKey,
  PUBLIC_CACHE_CONTROL,
  publicUrlBuilder,
  storageUnavailable,
  type Storage,
} from './storage';

export interface S3StorageOptions {
  bucket: string;
  /** An S3-compatible server's URL (`http://127.0.0.1:7480`); empty for AWS itself. */
  endpoint?: string;
  region: string;
  /** Both empty: the SDK's own chain (environment, instance role, ~/.aws). */
  accessKeyId?: string;
  secretAccessKey?: string;
  /** `endpoint/bucket/key` rather than `bucket.endpoint/key`: what most self-hosted servers expect. */
  forcePathStyle?: boolean;
  /** Absolute URL serving the bucket's `public/` prefix (a CDN); empty: the API's `/media/`. */
  publicBaseUrl?: string;
}

/** The bucket backend: the API streams its `public/` objects at `/media/` (routes/media.ts). */
export interface S3Storage extends Storage {
  kind: 's3';
  client: S3Client;
  bucket: string;
}

/** Objects in an S3-compatible bucket, through the AWS SDK v3; keys are checked as on disk. */
export function createS3Storage(options: S3StorageOptions): S3Storage {
  const client = new S3Client({
    region: options.region,
    endpoint: options.endpoint || undefined,
    forcePathStyle: options.forcePathStyle ?? false,
    credentials:
      options.accessKeyId && options.secretAccessKey
        ? { accessKeyId: options.accessKeyId, secretAccessKey: options.secretAccessKey }
        : undefined,
    // The SDK's default integrity checksums (CRC32 headers, since 2025) are an AWS extension that
    // several S3-compatible servers refuse; send them only where the operation requires them.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    // An object store that stopped answering fails the request (and the job retries) rather than hanging it.
    requestHandler: { connectionTimeout: 5_000, requestTimeout: 30_000 },
  });
  const bucket = options.bucket;
  /**
   * Sends one command. Whatever stops it, past a missing key (the callers' to decide), is the store's
   * fault from our side: unreachable, timed out, refusing our credentials, no such bucket, or failing
   * itself. Each becomes `STORAGE_UNAVAILABLE` (503, retry later) rather than an anonymous 500.
   */
  const send = async <Output>(request: () => Promise<Output>): Promise<Output> => {
    try {
      return await request();
    } catch (error) {
      if (isMissingKey(error)) throw error;
      throw storageUnavailable(error);
    }
  };
  return {
    kind: 's3',
    client,
    bucket,
    async put(key, data) {
      const command = new PutObjectCommand({
        Bucket: bucket,
        Key: checkStorageKey(key),
        Body: data,
        ContentType: contentTypeOfKey(key),
        // Carried by the object, so a CDN in front of the bucket answers with the API's own headers.
        CacheControl: isPublicKey(key) ? PUBLIC_CACHE_CONTROL : undefined,
      });
      await send(() => client.send(command));
    },
    async get(key) {
      const command = new GetObjectCommand({ Bucket: bucket, Key: checkStorageKey(key) });
      const answer = await send(() => client.send(command));
      // The body streams after the answer's headers: a connection cut there is the store failing too.
      const bytes = await send(() => answer.Body!.transformToByteArray());
      return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    },
    async open(key) {
      const command = new GetObjectCommand({ Bucket: bucket, Key: checkStorageKey(key) });
      try {
        const answer = await send(() => client.send(command));
        return {
          body: answer.Body as Readable,
          size: answer.ContentLength ?? null,
          contentType: answer.ContentType || contentTypeOfKey(key),
          etag: answer.ETag ?? null,
          lastModified: answer.LastModified ?? null,
        };
      } catch (error) {
        if (isMissingKey(error)) return null;
        throw error;
      }
    },
    async exists(key) {
      const command = new HeadObjectCommand({ Bucket: bucket, Key: checkStorageKey(key) });
      try {
        await send(() => client.send(command));
        return true;
      } catch (error) {
        if (isMissingKey(error)) return false;
        throw error;
      }
    },
    async delete(key) {
      const command = new DeleteObjectCommand({ Bucket: bucket, Key: checkStorageKey(key) });
      // S3 answers 204 for a key that is not there: deleting stays idempotent, as on disk.
      await send(() => client.send(command));
    },
    publicUrl: publicUrlBuilder(options.publicBaseUrl),
    close() {
      client.destroy();
    },
  };
}

/**
 * A missing key: GetObject says NoSuchKey (a missing bucket is NoSuchBucket, and throws); HeadObject,
 * whose answer has no body, says only NotFound, for a missing bucket too.
 */
function isMissingKey(error: unknown): boolean {
  return error instanceof S3ServiceException && (error.name === 'NoSuchKey' || error.name === 'NotFound');
}
