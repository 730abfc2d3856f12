import { expect } from 'chai';
import { parseLocalDateTime, vietnamCivilServiceCalendar } from '../calendar';
import { caseFee } from '../../workflows/certification/fee';
import { endStep, openCase, startStep, viewOf, type CaseState } from '../../workflows/certification/state';
import type { CertificationInput, OfficerRef } from '../../workflows/certification/types';
import { differences, readModelOf } from './readModel';

const cal = vietnamCivilServiceCalendar();
const at = (local: string) => parseLocalDateTime(local);
const receiver: OfficerRef = { officerId: '00000000-0000-4000-8000-000000000001', fullName: 'Lò Thị Hoa' };
const leader: OfficerRef = { officerId: '00000000-0000-4000-8000-000000000002', fullName: 'Tẩn Văn Sơn' };
const sealer: OfficerRef = { officerId: '00000000-0000-4000-8000-000000000003', fullName: 'Vàng Thị Mai' };

function received(local: string): CaseState {
  const documents = [
    { type: 'Giấy khai sinh', issuer: 'UBND xã Nùng Năng', pages: 3, copies: 2 },
    { type: 'Bằng tốt nghiệp', issuer: 'Trường THPT Tam Đường', pages: 1, copies: 3 },
  ];
  const input: CertificationInput = {
    caseCode: 'HS-READ-1',
    unit: { id: '00000000-0000-4000-8000-0000000000aa', code: '000.15.43.H35', name: 'UBND xã Nùng Năng' },
    calendar: cal,
    receivedBy: receiver,
    citizen: { fullName: 'Giàng A Páo', citizenId: '012090001234', birthDate: '1990-05-12' },
    documents,
    complex: false,
  };
  return openCase(input, caseFee(documents), at(local));
}

/** Received 08:30, submitted 09:40, signed 10:10, sealed 13:05 (across lunch, due 13:10), delivered at `deliveredAt`. */
function completed(deliveredAt: string): CaseState {
  const s = received('2026-12-01 08:30');
  endStep(s, at('2026-12-01 09:40'), 'submitted', receiver);
  startStep(s, 'sign', at('2026-12-01 09:40'));
  endStep(s, at('2026-12-01 10:10'), 'signed', leader);
  startStep(s, 'seal', at('2026-12-01 10:10'));
  endStep(s, at('2026-12-01 13:05'), 'sealed', sealer);
  startStep(s, 'deliver', at('2026-12-01 13:05'));
  s.delivery = { at: at(deliveredAt), channels: [] };
  endStep(s, at(deliveredAt), 'delivered');
  s.status = 'completed';
  s.closedAt = at(deliveredAt);
  return s;
}

describe('domain: the supervision read model of a case', () => {
  it('keeps the figures of a completed case, on time when the result came by the overall deadline', () => {
    const model = readModelOf(viewOf(completed('2026-12-01 13:06')));
    expect(model.figures).to.deep.include({
      status: 'completed',
      step: null,
      copies: 5,
      feeVnd: 16_000, // 3 pages: 5,000 × 2 copies; 1 page: 2,000 × 3 copies
      refusalGround: null,
      extensionCount: 0,
      extensionDays: 0,
      breaches: 0,
      warnings: 0,
      onTime: true,
    });
    expect(model.figures.overallDueAt).to.equal(new Date(at('2026-12-01 17:00')).toISOString());
    expect(model.figures.resultAt).to.equal(new Date(at('2026-12-01 13:06')).toISOString());
    // Seal: 10:10 → 13:05 is 1 h 55 min of office time (the 12:00–13:00 lunch does not count).
    expect(model.steps.map((s) => [s.step, s.officerId, s.budgetMinutes, s.workingMinutes, s.outcome, s.late])).to.deep.equal([
      ['receive', receiver.officerId, 240, 70, 'submitted', false],
      ['sign', leader.officerId, 120, 30, 'signed', false],
      ['seal', sealer.officerId, 120, 115, 'sealed', false],
      ['deliver', null, null, 1, 'delivered', null],
    ]);
    expect(model.steps.map((s) => s.idx)).to.deep.equal([0, 1, 2, 3]);
  });

  it('marks a result made available after the overall deadline late, and a refused case neither', () => {
    expect(readModelOf(viewOf(completed('2026-12-01 17:01'))).figures.onTime).to.equal(false);
    expect(readModelOf(viewOf(completed('2026-12-01 17:00'))).figures.onTime).to.equal(true);

    const refused = received('2026-12-01 09:00');
    endStep(refused, at('2026-12-01 09:20'), 'refused', receiver);
    refused.status = 'refused';
    refused.closedAt = at('2026-12-01 09:20');
    refused.refusal = { ground: 'DAMAGED', groundText: 'hư hỏng', note: 'Bản chính rách', by: receiver, at: at('2026-12-01 09:20') };
    const model = readModelOf(viewOf(refused));
    expect(model.figures).to.deep.include({ status: 'refused', refusalGround: 'DAMAGED', resultAt: null, onTime: null });
    expect(model.steps).to.have.length(1);
    expect(model.steps[0]).to.deep.include({ outcome: 'refused', workingMinutes: 20, late: false });
  });

  it('counts extensions against the extended deadline', () => {
    const s = completed('2026-12-02 10:00');
    s.extensions.push({ workingDays: 1, reason: 'Chờ xác minh', by: leader, at: at('2026-12-01 11:00'), previousDueAt: at('2026-12-01 17:00'), newDueAt: at('2026-12-02 17:00') });
    s.extensions.push({ workingDays: 2, reason: 'Thêm bản sao', by: leader, at: at('2026-12-01 11:30'), previousDueAt: at('2026-12-02 17:00'), newDueAt: at('2026-12-04 17:00') });
    s.overall = { ...s.overall, dueAt: at('2026-12-04 17:00') };
    expect(readModelOf(viewOf(s)).figures).to.deep.include({ extensionCount: 2, extensionDays: 3, onTime: true });
  });

  it('finds no difference between a model and itself, whatever the spelling of its instants', () => {
    const model = readModelOf(viewOf(completed('2026-12-01 13:06')));
    const copy = structuredClone(model);
    copy.figures.overallDueAt = '2026-12-01T17:00:00+07:00';
    copy.steps[0].startedAt = '2026-12-01T08:30:00.000+07:00';
    expect(differences(model, copy)).to.deep.equal([]);
  });

  it('names every field that differs, in the case and in its steps', () => {
    const model = readModelOf(viewOf(completed('2026-12-01 13:06')));
    const altered = structuredClone(model);
    altered.figures.onTime = false;
    altered.steps[1].late = true;
    altered.steps[2].workingMinutes = 95;
    expect(differences(model, altered)).to.deep.equal(['onTime: false ≠ true', 'steps[1].late: true ≠ false', 'steps[2].workingMinutes: 95 ≠ 115']);

    const fewer = structuredClone(model);
    fewer.steps.pop();
    expect(differences(model, fewer)).to.deep.equal(['steps: 3 ≠ 4']);
    const more = structuredClone(model);
    more.steps.push({ ...model.steps[3], idx: 4 });
    expect(differences(model, more)).to.deep.equal(['steps: 5 ≠ 4']);
  });
});
