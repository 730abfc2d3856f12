/**
 * The logged-in citizen of the portal: his account, loaded once per session. Kept apart from the
 * officer's session (its own token in api.ts), so one browser may hold both without mixing them.
 */
import { createContext, useCallback, useContext, useEffect, useState, type ReactNode } from 'react';
import { api, session } from './api';

export interface CitizenAccount {
  id: string;
  kind: 'citizen' | 'business';
  username: string;
  idNumber: string;
  fullName: string;
  birthDate: string | null;
  phone: string;
  email: string | null;
  businessName: string | null;
  taxCode: string | null;
  socialInsuranceNumber: string | null;
  assuranceLevel: 'IAL2' | 'IAL3';
  verifiedBy: string;
  verifiedByLabel: string;
  certificateSubject: string | null;
  mustChangePassword: boolean;
  passwordChangedAt: string | null;
  createdAt: string;
}

interface CitizenSession {
  account: CitizenAccount | null;
  loading: boolean;
  signedIn(token: string): Promise<void>;
  signOut(): Promise<void>;
  /** Reads the account again (after a password change clears the must-change flag). */
  reload(): Promise<void>;
}

const Context = createContext<CitizenSession>({
  account: null,
  loading: false,
  signedIn: async () => undefined,
  signOut: async () => undefined,
  reload: async () => undefined,
});

export function CitizenProvider({ children }: { children: ReactNode }) {
  const [account, setAccount] = useState<CitizenAccount | null>(null);
  const [loading, setLoading] = useState(true);
  const load = useCallback(async () => {
    if (!session.citizen) {
      setAccount(null);
      setLoading(false);
      return;
    }
    try {
      setAccount(await api<CitizenAccount>('GET', '/api/citizen/me', { as: 'citizen' }));
    } catch {
      // An expired or ended session: the citizen logs in again.
      session.citizen = null;
      setAccount(null);
    } finally {
      setLoading(false);
    }
  }, []);
  useEffect(() => {
    void load();
  }, [load]);
  const value: CitizenSession = {
    account,
    loading,
    async signedIn(token) {
      session.citizen = token;
      await load();
    },
    async signOut() {
      await api('POST', '/api/citizen/logout', { as: 'citizen' }).catch(() => undefined);
      session.citizen = null;
      setAccount(null);
    },
    reload: load,
  };
  return <Context.Provider value={value}>{children}</Context.Provider>;
}

export const useCitizen = () => useContext(Context);
