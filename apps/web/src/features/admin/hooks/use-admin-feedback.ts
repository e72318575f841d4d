import { useCallback, useEffect, useRef, useState } from 'react';

/**
 * What an admin section says back: the API's last refusal and the last success notice. `run` clears
 * both, runs an action and sets one or the other; it answers whether the action went through.
 */
export function useAdminFeedback() {
  const [error, setError] = useState<unknown>(null);
  const [notice, setNotice] = useState('');
  const run = useCallback(async (action: () => Promise<unknown>, message = ''): Promise<boolean> => {
    setError(null);
    setNotice('');
    try {
      await action();
      setNotice(message);
      return true;
    } catch (caught) {
      setError(caught);
      return false;
    }
  }, []);
  return { error, setError, notice, setNotice, run };
}

/**
 * An admin section's data, read on mount (a failed read is the section's error), with its feedback.
 * `runAndReload` runs a change and reads the data back: the table shows what was stored.
 */
export function useAdminSection<T>(read: () => Promise<T>) {
  const feedback = useAdminFeedback();
  const { setError, run } = feedback;
  const [data, setData] = useState<T | null>(null);
  const readRef = useRef(read);
  readRef.current = read;
  const reload = useCallback(async () => {
    try {
      setData(await readRef.current());
    } catch (caught) {
      setError(caught);
    }
  }, []);
  useEffect(() => {
    void reload();
  }, [reload]);
  const runAndReload = (action: () => Promise<unknown>, message = '') =>
    run(async () => {
      await action();
      await reload();
    }, message);
  return { ...feedback, data, setData, reload, runAndReload };
}

/**
 * The last refusal of a table's row actions, kept for the row and the control it came from so it is
 * said there rather than at the top of the section. `attempt` clears it, runs the action, and keeps
 * its refusal; it answers whether the action went through.
 */
export function useRowRefusal<F extends string>() {
  const [refusal, setRefusal] = useState<{ row: string | number; field: F; error: unknown } | null>(null);
  const errorOf = (row: string | number, field: F): unknown =>
    refusal && refusal.row === row && refusal.field === field ? refusal.error : null;
  const attempt = useCallback(async (row: string | number, field: F, action: () => Promise<unknown>) => {
    setRefusal(null);
    try {
      await action();
      return true;
    } catch (error) {
      setRefusal({ row, field, error });
      return false;
    }
  }, []);
  return { errorOf, attempt, clear: () => setRefusal(null) };
}
