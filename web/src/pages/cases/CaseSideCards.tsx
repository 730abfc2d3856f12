/** The case screen's cards about money and signing authority: the delegation a copy was signed under, and the fee receipt. */
import { DelegatedSignatureCard } from './DelegatedSignatureCard';
import { FeeReceiptCard } from './FeeReceiptCard';
import type { CaseView } from './types';

export function CaseSideCards({ view }: { view: CaseView }) {
  return (
    <>
      <DelegatedSignatureCard view={view} />
      <FeeReceiptCard view={view} />
    </>
  );
}
