import type { Db } from '../db/pool';

export interface ApiClient {
  id: number;
  name: string;
  createdAt: Date;
  revokedAt: Date | null;
}

interface ApiClientRow {
  id: number;
  name: string;
  created_at: Date;
  revoked_at: Date | null;
}

function toApiClient(row: ApiClientRow): ApiClient {
  return { id: row.id, name: row.name, createdAt: row.created_at, revokedAt: row.revoked_at };
}

/** Stores a new client with the hash of its key. */
export async function insertApiClient(db: Db, client: { name: string; keyHash: string }): Promise<ApiClient> {
  const { rows } = await db.query<ApiClientRow>(
    `INSERT INTO api_clients (name, key_hash) VALUES ($1, $2) RETURNING id, name, created_at, revoked_at`,
    [client.name, client.keyHash],
  );
  return toApiClient(rows[0]!);
}

/** The client holding a key, by the key's hash, unless revoked. */
export async function findActiveApiClientByHash(db: Db, keyHash: string): Promise<ApiClient | null> {
  const { rows } = await db.query<ApiClientRow>(
    `SELECT id, name, created_at, revoked_at FROM api_clients WHERE key_hash = $1 AND revoked_at IS NULL`,
    [keyHash],
  );
  return rows[0] ? toApiClient(rows[0]) : null;
}

/** Revokes a client's key; returns false when there is no such active client. */
export async function revokeApiClient(db: Db, id: number): Promise<boolean> {
  const { rowCount } = await db.query(
    'UPDATE api_clients SET revoked_at = now() WHERE id = $1 AND revoked_at IS NULL',
    [id],
  );
  return rowCount === 1;
}
