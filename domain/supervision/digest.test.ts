import { expect } from 'chai';
import { digestMail, vietnamDay, type DigestCase } from './digest';

describe('domain: the supervisors\' morning digest', () => {
  it('takes the Viet Nam date of an instant (UTC+7)', () => {
    expect(vietnamDay(Date.parse('2026-12-07T00:30:00Z'))).to.equal('2026-12-07');
    expect(vietnamDay(Date.parse('2026-12-06T16:59:59Z'))).to.equal('2026-12-06');
    expect(vietnamDay(Date.parse('2026-12-06T17:00:00Z'))).to.equal('2026-12-07');
  });

  it('lists the cases with their deadline in local time and counts the overdue ones in the subject', () => {
    const cases: DigestCase[] = [
      { caseCode: 'CT-001', unitName: 'UBND phường Ba Đình', citizenName: 'Nguyễn Văn A', step: 'sign', dueAt: '2026-12-04T09:00:00Z', remainingWorkingMinutes: 0, state: 'overdue' },
      { caseCode: 'CT-002', unitName: 'UBND phường Ba Đình', citizenName: 'Trần Thị B', step: 'receive', dueAt: '2026-12-07T05:00:00Z', remainingWorkingMinutes: 95, state: 'atRisk' },
    ];
    const m = digestMail('2026-12-07', 'Lê Văn Giám Sát', cases, 'https://example.test/giam-sat');
    expect(m.subject).to.equal('[Chứng thực] 2 hồ sơ cần chú ý ngày 07/12/2026 (1 quá hạn)');
    expect(m.text).to.include('Kính gửi Lê Văn Giám Sát,');
    expect(m.text).to.include('1. CT-001 — UBND phường Ba Đình — Nguyễn Văn A — bước ký — hạn 16:00 04/12/2026 (QUÁ HẠN)');
    expect(m.text).to.include('2. CT-002 — UBND phường Ba Đình — Trần Thị B — bước tiếp nhận — hạn 12:00 07/12/2026 (còn 1 giờ 35 phút làm việc)');
    expect(m.text).to.include('https://example.test/giam-sat');
  });
});
