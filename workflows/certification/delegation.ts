/**
 * The delegation a sign update may carry (types.ts, SignatureDelegation): the API found it in force
 * and vouches for it; the workflow only checks its shape, so the facts it records are well formed.
 */
import { invalidInput } from './refusals';
import type { SignatureDelegation } from './types';

const FIELD = 'delegation';

function nonEmpty(value: unknown, max: number): value is string {
  return typeof value === 'string' && value.trim() !== '' && value.length <= max;
}

export function checkSignatureDelegation(d: SignatureDelegation | undefined): void {
  if (d === undefined) return;
  const ok =
    typeof d === 'object' &&
    d !== null &&
    nonEmpty(d.delegationId, 100) &&
    typeof d.delegatedBy === 'object' &&
    d.delegatedBy !== null &&
    nonEmpty(d.delegatedBy.officerId, 100) &&
    nonEmpty(d.delegatedBy.fullName, 200) &&
    (d.form === 'KT' || d.form === 'TUQ') &&
    nonEmpty(d.headTitle, 120) &&
    nonEmpty(d.signerTitle, 120);
  if (!ok) {
    throw invalidInput(
      FIELD,
      'phải ghi mã ủy quyền, người ủy quyền, hình thức (KT hoặc TUQ) và các chức danh',
      'must name the delegation, the delegating leader, the form (KT or TUQ) and the titles',
    );
  }
}
