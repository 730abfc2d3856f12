/** What the administration screens share: the unit tree of the caller's scope and the rights' names. */
import { useEffect, useState } from 'react';
import { RIGHT_CODES, RIGHTS, type Right } from '../../../../domain/rights';
import { api } from '../../api';

export interface UnitItem {
  id: string;
  code: string;
  name: string;
  level: 'province' | 'district' | 'commune' | 'office';
  parentId: string | null;
  oneStop: boolean;
  misnamedOneStop: boolean;
}

export interface OfficerView {
  id: string;
  username: string;
  fullName: string;
  citizenId: string;
  phone: string | null;
  email: string | null;
  jobTitle: string | null;
  status: 'active' | 'inactive';
  units: Array<{ id: string; code: string; name: string }>;
  rights: Right[];
}

export { RIGHT_CODES, type Right };

const RIGHTS_EN: Record<Right, string> = {
  CERT_CREATE: 'Create certified copies',
  CERT_SIGN: 'Sign certified copies',
  CERT_SEAL: 'Seal certified copies',
  CERT_REPORT: 'Certification reports',
  ACCOUNT_CREATE: 'Create citizen accounts',
  USER_ADMIN: 'Add users',
  CASE_SUPERVISE: 'Supervise cases',
  AUDIT: 'Audit case history',
  SUPPORT_MANAGE: 'Manage support requests',
  SUPPORT_HANDLE: 'Handle support requests',
  INTEGRATION_CHECK: 'Check API integrations',
};

export function rightLabel(right: Right, t: (vi: string, en: string) => string): string {
  return t(RIGHTS[right], RIGHTS_EN[right]);
}

export const LEVELS: Array<{ key: UnitItem['level']; vi: string; en: string }> = [
  { key: 'province', vi: 'Cấp tỉnh', en: 'Province' },
  { key: 'district', vi: 'Cấp huyện', en: 'District' },
  { key: 'commune', vi: 'Cấp xã', en: 'Commune' },
  { key: 'office', vi: 'Cơ quan/bộ phận', en: 'Office/desk' },
];

/** Each unit with its depth in the tree (the API lists parents first). */
export function withDepth(units: UnitItem[]): Array<UnitItem & { depth: number }> {
  const depth = new Map<string, number>();
  return units.map((u) => {
    const d = u.parentId && depth.has(u.parentId) ? depth.get(u.parentId)! + 1 : 0;
    depth.set(u.id, d);
    return { ...u, depth: d };
  });
}

/** The units of the caller's scope; `reload` after adding or renaming one. */
export function useUnits(): { units: UnitItem[]; problem: unknown; reload(): void } {
  const [units, setUnits] = useState<UnitItem[]>([]);
  const [problem, setProblem] = useState<unknown>(null);
  const [version, setVersion] = useState(0);
  useEffect(() => {
    api<{ items: UnitItem[] }>('GET', '/api/units')
      .then((r) => setUnits(r.items))
      .catch(setProblem);
  }, [version]);
  return { units, problem, reload: () => setVersion((v) => v + 1) };
}

/** A unit as an option of a select: indented by its depth, with its code. */
export function unitOption(u: UnitItem & { depth: number }): string {
  return `${'\u00a0\u00a0'.repeat(u.depth)}${u.name} (${u.code})`;
}
