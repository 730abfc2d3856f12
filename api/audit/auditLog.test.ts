import { createHash } from 'node:crypto';
import { expect } from 'chai';
import { canonicalJson, entryHash, GENESIS_HASH, type AuditRecord } from './auditLog';

/** The chain's definition: SHA-256 over the previous hash, a new line and the canonical JSON of the entry's members. */
function definedHash(prevHash: string, seq: string, r: AuditRecord): string {
  const content = canonicalJson({ seq, at: r.at.toISOString(), actorId: r.actorId, actorName: r.actorName, unitId: r.unitId, action: r.action, target: r.target, outcome: r.outcome, status: r.status, details: r.details, ip: r.ip });
  return createHash('sha256').update(prevHash).update('\n').update(content).digest('hex');
}

const base: AuditRecord = {
  at: new Date('2026-11-23T03:04:05.678Z'),
  actorId: '00000000-0000-4000-8000-000000000001',
  actorName: 'Nguyễn Văn "An"',
  unitId: null,
  action: 'case.sign',
  target: 'case:000.15.43.H35-261123-0007',
  outcome: 'success',
  status: 200,
  details: { zeta: 1, alpha: { b: [1, 'hai', null], a: 'ư\n\u0001' }, 'Ý kiến': true },
  ip: '10.0.0.1',
};

describe('audit entry hash', () => {
  it('is the hash of the canonical JSON of the entry, member for member', () => {
    expect(entryHash(GENESIS_HASH, '1', base)).to.equal(definedHash(GENESIS_HASH, '1', base));
  });

  it('leaves out undefined members and keeps null ones, as the canonical JSON does', () => {
    const partial = { ...base, ip: undefined, target: null, status: null, details: {} } as unknown as AuditRecord;
    expect(entryHash('ab'.repeat(32), '42', partial)).to.equal(definedHash('ab'.repeat(32), '42', partial));
  });

  it('changes with any member, the number or the previous hash', () => {
    const h = entryHash(GENESIS_HASH, '7', base);
    expect(entryHash(GENESIS_HASH, '8', base)).to.not.equal(h);
    expect(entryHash('1'.repeat(64), '7', base)).to.not.equal(h);
    expect(entryHash(GENESIS_HASH, '7', { ...base, details: { ...base.details, zeta: 2 } })).to.not.equal(h);
    expect(entryHash(GENESIS_HASH, '7', { ...base, at: new Date(base.at.getTime() + 1) })).to.not.equal(h);
  });
});
