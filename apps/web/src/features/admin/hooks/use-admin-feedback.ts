import { useCallback, useState } from 'react';

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
