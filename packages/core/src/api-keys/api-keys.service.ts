import { createHash, randomBytes } from 'node:crypto';
import type { Db } from '../db/pool';
import { findActiveApiClientByHash, insertApiClient, revokeApiClient, type ApiClient } from './api-keys.repo';

// 32 random bytes: a key cannot be guessed, so a fast unsalted hash is enough to store it
// (salting and slow hashes protect low-entropy passwords, not random keys).
const KEY_BYTES = 32;
// Keys are base64url text; anything longer or of another alphabet is refused before hashing.
const KEY_SHAPE = /^[A-Za-z0-9_-]{20,100}$/;

function hashKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

/** Creates a client and its key; the key is returned once and only its hash is kept. */
export async function createApiKey(db: Db, name: string): Promise<{ client: ApiClient; key: string }> {
  const trimmed = name.trim();
  if (trimmed.length === 0 || trimmed.length > 200) throw new Error('a client name of 1 to 200 characters is required');
  const key = randomBytes(KEY_BYTES).toString('base64url');
  const client = await insertApiClient(db, { name: trimmed, keyHash: hashKey(key) });
  return { client, key };
}

/** The active client holding this key, or null for a missing, malformed, unknown or revoked key. */
export async function authenticateApiKey(db: Db, key: string | undefined): Promise<ApiClient | null> {
  if (key === undefined || !KEY_SHAPE.test(key)) return null;
  return findActiveApiClientByHash(db, hashKey(key));
}

/** Revokes a client's key at once; false when the client is unknown or already revoked. */
export async function revokeApiKey(db: Db, clientId: number): Promise<boolean> {
  return revokeApiClient(db, clientId);
}
