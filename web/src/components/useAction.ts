/** One button's call to the API: busy while it runs, and the problem it met (cleared when it runs again). */
import { useCallback, useState } from 'react';

export function useAction() {
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<unknown>(null);
  /**
   * Stays the same function from render to render, so a screen may start it from an effect.
   * `onFailed` learns of the problem once it is shown; the action stays busy until what it
   * returns has settled (e.g. a session looked at again after a refusal).
   */
  const run = useCallback(async (action: () => Promise<void>, onFailed?: (err: unknown) => void | Promise<void>): Promise<void> => {
    setBusy(true);
    setProblem(null);
    try {
      await action();
    } catch (err) {
      setProblem(err);
      await onFailed?.(err);
    } finally {
      setBusy(false);
    }
  }, []);
  return { busy, problem, setProblem, run };
}
