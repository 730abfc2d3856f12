/**
 * One action at a time on a case screen: while an officer's action runs, every other action
 * button of the screen (panels, dialogs, the header's) is disabled, and a second click started
 * before the screen re-rendered is dropped — so a double click on "Trình lãnh đạo ký" cannot
 * reach the button that slid under the pointer.
 */
import { createContext, useCallback, useContext, useMemo, useRef, useState, type ReactNode } from 'react';
import { useAction } from '../../components/useAction';

interface CaseLock {
  busy: boolean;
  /** Runs `action` unless another one holds the lock; answers whether it ran. */
  hold(action: () => Promise<void>): Promise<boolean>;
}

const CaseLockContext = createContext<CaseLock | null>(null);

export function CaseLockProvider({ children }: { children: ReactNode }) {
  const held = useRef(false);
  const [busy, setBusy] = useState(false);
  const hold = useCallback(async (action: () => Promise<void>) => {
    if (held.current) return false;
    held.current = true;
    setBusy(true);
    try {
      await action();
      return true;
    } finally {
      held.current = false;
      setBusy(false);
    }
  }, []);
  const lock = useMemo(() => ({ busy, hold }), [busy, hold]);
  return <CaseLockContext.Provider value={lock}>{children}</CaseLockContext.Provider>;
}

/** Whether any action of the case runs now (to disable buttons that only open a dialog). */
export function useCaseBusy(): boolean {
  return useContext(CaseLockContext)?.busy ?? false;
}

/**
 * A panel's or a dialog's actions: `running` names the one under way (its button shows the
 * spinner), `locked` is true while any action of the case runs, `problem` is this panel's own.
 */
export function useCaseAction() {
  const lock = useContext(CaseLockContext);
  const own = useAction({ exclusive: true });
  const [running, setRunning] = useState<string | null>(null);
  const ownRun = own.run;
  const run = useCallback(
    (name: string, action: () => Promise<void>, onFailed?: (err: unknown) => void | Promise<void>): Promise<void> => {
      const go = async () => {
        setRunning(name);
        try {
          await ownRun(action, onFailed);
        } finally {
          setRunning(null);
        }
      };
      return lock ? lock.hold(go).then(() => undefined) : go();
    },
    [lock, ownRun],
  );
  return { running, locked: (lock?.busy ?? false) || own.busy, problem: own.problem, setProblem: own.setProblem, run };
}
