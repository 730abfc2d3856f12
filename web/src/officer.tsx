/** The logged-in officer: who he is, his rights and units, loaded once per session. */
import { createContext, useCallback, useContext, useEffect, useState, type ReactNode } from 'react';
import { api, session } from './api';

export interface Unit {
  id: string;
  code: string;
  name: string;
  level: string;
  oneStop: boolean;
}

export interface Officer {
  id: string;
  username: string;
  fullName: string;
  rights: string[];
  units: Unit[];
}

interface OfficerSession {
  officer: Officer | null;
  loading: boolean;
  signedIn(token: string): Promise<void>;
  signOut(): Promise<void>;
  has(right: string): boolean;
}

const Context = createContext<OfficerSession>({ officer: null, loading: false, signedIn: async () => undefined, signOut: async () => undefined, has: () => false });

export function OfficerProvider({ children }: { children: ReactNode }) {
  const [officer, setOfficer] = useState<Officer | null>(null);
  const [loading, setLoading] = useState(true);
  const load = useCallback(async () => {
    if (!session.officer) {
      setOfficer(null);
      setLoading(false);
      return;
    }
    try {
      setOfficer(await api<Officer>('GET', '/api/auth/me'));
    } catch {
      session.officer = null;
      setOfficer(null);
    } finally {
      setLoading(false);
    }
  }, []);
  useEffect(() => {
    void load();
  }, [load]);
  const value: OfficerSession = {
    officer,
    loading,
    async signedIn(token) {
      session.officer = token;
      await load();
    },
    async signOut() {
      await api('POST', '/api/auth/logout').catch(() => undefined);
      session.officer = null;
      setOfficer(null);
    },
    has: (right) => officer?.rights.includes(right) ?? false,
  };
  return <Context.Provider value={value}>{children}</Context.Provider>;
}

export const useOfficer = () => useContext(Context);
