import { Type } from 'typebox';
import { describe, expect, it } from 'vitest';
import { clusterNodesOf } from '../queue/queue';
import {
  CommonEnv,
  hashTagOf,
  parseEnv,
  refuseIncompleteStorageConfig,
  refuseQueuePrefixWithoutHashTag,
  resolvePublicBaseUrl,
} from './env';

describe('resolvePublicBaseUrl', () => {
  it('is the address the API listens on when PUBLIC_BASE_URL is not set', () => {
    expect(resolvePublicBaseUrl({ HOST: '127.0.0.1', PORT: 3999, PUBLIC_BASE_URL: '' })).toBe('http://127.0.0.1:3999');
    expect(resolvePublicBaseUrl({ HOST: 'pave.local', PORT: 80, PUBLIC_BASE_URL: '' })).toBe('http://pave.local:80');
  });

  it('opens a wildcard HOST on loopback, and brackets an IPv6 address', () => {
    expect(resolvePublicBaseUrl({ HOST: '0.0.0.0', PORT: 3999, PUBLIC_BASE_URL: '' })).toBe('http://127.0.0.1:3999');
    expect(resolvePublicBaseUrl({ HOST: '::', PORT: 3000, PUBLIC_BASE_URL: '' })).toBe('http://127.0.0.1:3000');
    expect(resolvePublicBaseUrl({ HOST: '::1', PORT: 3000, PUBLIC_BASE_URL: '' })).toBe('http://[::1]:3000');
  });

  it('keeps a PUBLIC_BASE_URL that is set', () => {
    expect(resolvePublicBaseUrl({ HOST: '0.0.0.0', PORT: 3999, PUBLIC_BASE_URL: 'https://pave.example' })).toBe(
      'https://pave.example',
    );
  });
});

const schema = Type.Object(CommonEnv);
const load = (env: Record<string, string>) => {
  const config = parseEnv(schema, env);
  refuseIncompleteStorageConfig(config);
  return config;
};

describe('storage settings', () => {
  it('default to the local disk, with photos at /media/', () => {
    const config = load({});
    expect(config.STORAGE).toBe('local');
    expect(config.MEDIA_PUBLIC_BASE_URL).toBe('');
    expect(config.S3_FORCE_PATH_STYLE).toBe(false);
  });

  it('take an S3 bucket with its endpoint and key pair', () => {
    const config = load({
      STORAGE: 's3',
      S3_BUCKET: 'photos',
      S3_ENDPOINT: 'http://127.0.0.1:7480',
      S3_ACCESS_KEY_ID: 'id',
      S3_SECRET_ACCESS_KEY: 'secret',
      S3_FORCE_PATH_STYLE: 'true',
      MEDIA_PUBLIC_BASE_URL: 'https://cdn.example.fr/pave',
    });
    expect(config).toMatchObject({ STORAGE: 's3', S3_BUCKET: 'photos', S3_FORCE_PATH_STYLE: true });
  });

  it('refuse S3 without a bucket, or with half a key pair, naming the variables', () => {
    expect(() => load({ STORAGE: 's3' })).toThrow(/S3_BUCKET/);
    expect(() => load({ STORAGE: 's3', S3_BUCKET: 'photos', S3_ACCESS_KEY_ID: 'id' })).toThrow(/S3_SECRET_ACCESS_KEY/);
    expect(() => load({ STORAGE: 'disk' })).toThrow(/STORAGE/);
  });

  it('refuse a public media base that is not an absolute URL without a trailing slash', () => {
    expect(() => load({ MEDIA_PUBLIC_BASE_URL: 'cdn.example.fr' })).toThrow(/MEDIA_PUBLIC_BASE_URL/);
    expect(() => load({ MEDIA_PUBLIC_BASE_URL: 'https://cdn.example.fr/' })).toThrow(/MEDIA_PUBLIC_BASE_URL/);
  });
});

describe('Redis Cluster settings', () => {
  const loadRedis = (env: Record<string, string>) => {
    const config = parseEnv(schema, env);
    refuseQueuePrefixWithoutHashTag(config);
    return config;
  };

  it('default to one Redis, with a queue prefix that is already a hash tag', () => {
    const config = loadRedis({});
    expect(config.REDIS_CLUSTER_NODES).toBe('');
    expect(hashTagOf(config.QUEUE_PREFIX)).toBe('pave');
    expect(clusterNodesOf(config)).toEqual([]);
  });

  it('take seed nodes as host:port, names and bracketed IPv6 included', () => {
    const config = loadRedis({ REDIS_CLUSTER_NODES: '10.0.0.1:7001, redis-b.internal:7002,[::1]:7003' });
    expect(clusterNodesOf(config)).toEqual([
      { host: '10.0.0.1', port: 7001 },
      { host: 'redis-b.internal', port: 7002 },
      { host: '::1', port: 7003 },
    ]);
    expect(() => loadRedis({ REDIS_CLUSTER_NODES: 'redis://10.0.0.1:7001' })).toThrow(/REDIS_CLUSTER_NODES/);
    expect(() => loadRedis({ REDIS_CLUSTER_NODES: '10.0.0.1' })).toThrow(/REDIS_CLUSTER_NODES/);
  });

  it('refuse a prefix without a hash tag on a cluster, and name the one to write', () => {
    expect(() => loadRedis({ REDIS_CLUSTER_NODES: '127.0.0.1:7001', QUEUE_PREFIX: 'pave-staging' })).toThrow(
      /QUEUE_PREFIX: .*\{pave-staging\}/,
    );
    // Redis reads the first {…} only, and an empty one is no tag at all.
    expect(() => loadRedis({ REDIS_CLUSTER_NODES: '127.0.0.1:7001', QUEUE_PREFIX: '{}pave' })).toThrow(/QUEUE_PREFIX/);
    expect(loadRedis({ REDIS_CLUSTER_NODES: '127.0.0.1:7001', QUEUE_PREFIX: 'staging-{pave}' }).QUEUE_PREFIX).toBe(
      'staging-{pave}',
    );
    // One Redis takes any prefix: an existing deployment keeps its keys.
    expect(loadRedis({ QUEUE_PREFIX: 'pave' }).QUEUE_PREFIX).toBe('pave');
  });

  it('find the hash tag as Redis does', () => {
    expect(hashTagOf('{pave}:pave:wait')).toBe('pave');
    expect(hashTagOf('a{b}{c}')).toBe('b');
    expect(hashTagOf('{}{pave}')).toBeNull();
    expect(hashTagOf('{pave')).toBeNull();
    expect(hashTagOf('pave')).toBeNull();
  });
});
