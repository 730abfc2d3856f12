/** One button's call to the API: busy while it runs, and the problem it met (cleared when it runs again). */
import { useCallback, useRef, useState } from 'react';

/**
 * `exclusive`: while one call runs, further calls are ignored (an officer's action on a case must
 * happen once); otherwise a new call (e.g. a list loaded again for new filters) runs as well.
 */
export function useAction(options: { exclusive?: boolean } = {}) {
  const exclusive = options.exclusive === true;
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<unknown>(null);
  // Set at once, before React re-renders the disabled buttons: a second click in between does nothing.
  const running = useRef(false);
  /**
   * Stays the same function from render to render, so a screen may start it from an effect.
   * `onFailed` learns of the problem once it is shown; the action stays busy until what it
   * returns has settled (e.g. a session looked at again after a refusal).
   */
  const run = useCallback(async (action: () => Promise<void>, onFailed?: (err: unknown) => void | Promise<void>): Promise<void> => {
    if (exclusive && running.current) return;
    running.current = true;
    setBusy(true);
    setProblem(null);
    try {
      await action();
    } catch (err) {
      setProblem(err);
      await onFailed?.(err);
    } finally {
      running.current = false;
      setBusy(false);
    }
  }, [exclusive]);
  return { busy, problem, setProblem, run };
}
