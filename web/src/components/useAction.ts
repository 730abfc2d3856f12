/** One button's call to the API: busy while it runs, and the problem it met (cleared when it runs again). */
import { useState } from 'react';

export function useAction() {
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<unknown>(null);
  async function run(action: () => Promise<void>, onFailed?: (err: unknown) => void): Promise<void> {
    setBusy(true);
    setProblem(null);
    try {
      await action();
    } catch (err) {
      setProblem(err);
      onFailed?.(err);
    } finally {
      setBusy(false);
    }
  }
  return { busy, problem, setProblem, run };
}
