import { randomBytes } from 'node:crypto';
import {
  CreateBucketCommand,
  DeleteBucketCommand,
  DeleteObjectCommand,
  ListObjectsV2Command,
  S3Client,
} from '@aws-sdk/client-s3';
import { TEST_ENV } from './env';

export interface TestBucket {
  name: string;
  /** The settings that point the API and the worker at this bucket (STORAGE=s3, S3_*). */
  env: Record<string, string>;
  /** Every key in the bucket, sorted. */
  keys(): Promise<string[]>;
  /** Empties and deletes the bucket. */
  close(): Promise<void>;
}

/**
 * A bucket of its own on the test S3 server (`bash infra/bootstrap.sh --with-s3`, docs/adr/0009), so
 * parallel test files never see each other's objects.
 */
export async function createTestBucket(): Promise<TestBucket> {
  const env = {
    STORAGE: 's3',
    S3_BUCKET: `pave-test-${randomBytes(6).toString('hex')}`,
    S3_ENDPOINT: TEST_ENV.s3.endpoint,
    S3_REGION: 'us-east-1',
    S3_ACCESS_KEY_ID: TEST_ENV.s3.accessKeyId,
    S3_SECRET_ACCESS_KEY: TEST_ENV.s3.secretAccessKey,
    S3_FORCE_PATH_STYLE: 'true',
  };
  const bucket = env.S3_BUCKET;
  const client = new S3Client({
    endpoint: env.S3_ENDPOINT,
    region: env.S3_REGION,
    forcePathStyle: true,
    credentials: { accessKeyId: env.S3_ACCESS_KEY_ID, secretAccessKey: env.S3_SECRET_ACCESS_KEY },
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
  try {
    await client.send(new CreateBucketCommand({ Bucket: bucket }));
  } catch (error) {
    client.destroy();
    throw new Error(
      `no S3 bucket at ${env.S3_ENDPOINT} (${(error as Error).message}): run \`bash infra/bootstrap.sh --with-s3\``,
      { cause: error },
    );
  }
  const keys = async () => {
    const found: string[] = [];
    let token: string | undefined;
    do {
      const page = await client.send(new ListObjectsV2Command({ Bucket: bucket, ContinuationToken: token }));
      found.push(...(page.Contents ?? []).map((object) => object.Key!));
      token = page.NextContinuationToken;
    } while (token);
    return found.sort();
  };
  return {
    name: bucket,
    env,
    keys,
    async close() {
      try {
        // One by one: DeleteObjects wants a Content-MD5 that not every server takes the SDK's checksum for.
        for (const key of await keys()) await client.send(new DeleteObjectCommand({ Bucket: bucket, Key: key }));
        await client.send(new DeleteBucketCommand({ Bucket: bucket }));
      } finally {
        client.destroy();
      }
    },
  };
}
