import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import type { NewReport } from '../api/reports-api';

/**
 * A report the resident has sent but the server has not acknowledged yet. Its id is the
 * Idempotency-Key: every retry, even after the app was closed, carries the same one.
 */
export interface ReportDraft extends NewReport {
  id: string;
  savedAt: string;
}

interface DraftDb extends DBSchema {
  drafts: { key: string; value: ReportDraft };
}

let database: Promise<IDBPDatabase<DraftDb>> | null = null;

function open(): Promise<IDBPDatabase<DraftDb>> {
  database ??= openDB<DraftDb>('pave', 1, {
    upgrade(db) {
      db.createObjectStore('drafts', { keyPath: 'id' });
    },
  }).catch((error: unknown) => {
    database = null;
    throw error;
  });
  return database;
}

/** Saves (or replaces) a draft. Throws when IndexedDB is unavailable; the caller sends anyway. */
export async function saveDraft(draft: ReportDraft): Promise<void> {
  await (await open()).put('drafts', draft);
}

export async function deleteDraft(id: string): Promise<void> {
  try {
    await (await open()).delete('drafts', id);
  } catch {
    // Nothing to delete if the store never opened.
  }
}

/** The oldest pending draft, or null (also when IndexedDB is unavailable). */
export async function findPendingDraft(): Promise<ReportDraft | null> {
  try {
    const drafts = await (await open()).getAll('drafts');
    drafts.sort((a, b) => a.savedAt.localeCompare(b.savedAt));
    return drafts[0] ?? null;
  } catch {
    return null;
  }
}
