/** What the support screens load once: the service groups with the rules for attachments, and the units of the officer's scope. */
import { useEffect, useState } from 'react';
import { api } from '../../api';
import type { SupportCatalog } from './types';

export interface ScopeUnit {
  id: string;
  code: string;
  name: string;
  level: string;
  parentId: string | null;
}

let catalog: Promise<SupportCatalog> | undefined;

export function useSupportCatalog(): { catalog: SupportCatalog | null; problem: unknown } {
  const [value, setValue] = useState<SupportCatalog | null>(null);
  const [problem, setProblem] = useState<unknown>(null);
  useEffect(() => {
    catalog ??= api<SupportCatalog>('GET', '/api/support/service-groups');
    catalog.then(setValue).catch((err: unknown) => {
      catalog = undefined;
      setProblem(err);
    });
  }, []);
  return { catalog: value, problem };
}

export function useScopeUnits(): ScopeUnit[] {
  const [units, setUnits] = useState<ScopeUnit[]>([]);
  useEffect(() => {
    api<{ items: ScopeUnit[] }>('GET', '/api/units')
      .then((r) => setUnits(r.items))
      .catch(() => setUnits([]));
  }, []);
  return units;
}
