/**
 * The timeline of real histories, recorded in the test on the suite's engine with the real
 * workflow and activities: a case carried to its certified copy, a refusal, an action whose work
 * failed, and (with time skipping) a deadline timer that fires and the warning it raises. Every
 * event keeps its line; the JSON export reads back to the same timeline; an event type the
 * timeline does not know is still shown.
 */
import { expect } from 'chai';
import { historyFromJSON, historyToJSON, type History } from '@temporalio/common/lib/proto-utils';
import { temporal } from '@temporalio/proto';
import Long from 'long';
import { buildTimeline, eventTypeName, type TimelineEntry } from '../../api/audit/timeline';
import { viInstant } from '../../api/audit/historyLabels';
import { attachScanUpdate, withdrawUpdate } from '../../workflows/certification/messages';
import type { CaseView } from '../../workflows/certification/types';
import { requireTimeSkipping, testEnv } from '../engine/harness';
import { startOffice, type Office } from './office';

const visible = (entries: TimelineEntry[]) => entries.filter((e) => !e.technical);

describe('audit: the timeline of a case history', function () {
  this.timeout(120_000);
  let office: Office;

  before(async () => {
    office = await startOffice();
  });
  after(async () => office?.close());

  it('tells who did what and when for a case carried to its certified copy, one entry per event', async () => {
    const code = await office.runCase('completed');
    const history = await office.handle(code).fetchHistory();
    const view: CaseView = await office.handle(code).result();
    const { workflowType, entries } = buildTimeline(history);
    expect(workflowType).to.equal('certification');
    expect(entries.map((e) => e.eventId)).to.deep.equal(history.events!.map((e) => Number(e.eventId)));
    expect(entries.map((e) => e.eventType)).to.deep.equal(history.events!.map((e) => eventTypeName(e.eventType)));

    const { receiver, leader, sealer } = office.officers;
    const who = (o: { officerId: string; fullName: string }) => ({ officerId: o.officerId, fullName: o.fullName });
    const story = visible(entries).filter((e) => e.kind !== 'timer').map((e) => [e.kind, e.actor?.fullName ?? null, e.text.vi.replace(/[0-9A-F]{32}/, '<serial>')]);
    // Delivery starts as soon as the seal is done, while the seal's update still records the case:
    // the two land in the history in either order, so delivery is checked apart, after the seal.
    const delivery = ['activity', null, 'Chuyển bản sao vào tài khoản cán bộ và cổng công dân — xong: tài khoản cán bộ tiếp nhận: đã chuyển, tài khoản lãnh đạo: đã chuyển, cổng dịch vụ công: đã chuyển, email: không áp dụng'];
    const deliveredAt = story.findIndex((e) => JSON.stringify(e) === JSON.stringify(delivery));
    const sealedAt = story.findIndex((e) => e[0] === 'activity' && e[1] === sealer.fullName);
    expect(sealedAt).to.be.greaterThan(0);
    expect(deliveredAt).to.be.greaterThan(sealedAt);
    story.splice(deliveredAt, 1);
    expect(story).to.deep.equal([
      ['received', receiver.fullName, `Tiếp nhận hồ sơ ${code} tại UBND xã Nùng Năng: công dân Giàng A Páo, 1 bản chính (Giấy khai sinh), 1 bản sao`],
      ['action', receiver.fullName, 'Đính kèm bản quét bản chính (1 tệp)'],
      ['activity', null, 'Kiểm tra và lưu bản quét — xong'],
      ['action-result', receiver.fullName, `Đã thực hiện: đính kèm bản quét bản chính (1 tệp) → hồ sơ chờ tiếp nhận, trình ký, hạn bước ${viInstant(Date.parse(view.steps[0]!.dueAt!))}`],
      ['action', receiver.fullName, 'Trình lãnh đạo ký'],
      ['action-result', receiver.fullName, `Đã thực hiện: trình lãnh đạo ký → hồ sơ chờ lãnh đạo ký, hạn bước ${viInstant(Date.parse(view.steps[1]!.dueAt!))}`],
      ['action', leader.fullName, 'Ký bản sao điện tử'],
      ['activity', leader.fullName, 'Tạo bản sao và ký số của lãnh đạo — xong: chứng thư số <serial>'],
      ['action-result', leader.fullName, `Đã thực hiện: ký bản sao điện tử → hồ sơ chờ cấp số, đóng dấu, hạn bước ${viInstant(Date.parse(view.steps[2]!.dueAt!))}`],
      ['action', sealer.fullName, 'Cấp số chứng thực và đóng dấu'],
      ['activity', sealer.fullName, `Cấp số chứng thực và đóng dấu số của UBND xã — xong: số chứng thực ${view.certificationNumber}`],
      ['action-result', sealer.fullName, 'Đã thực hiện: cấp số chứng thực và đóng dấu → hồ sơ đang trả kết quả'],
      ['closed', null, `Kết thúc hồ sơ: đã hoàn thành, số chứng thực ${view.certificationNumber}`],
    ]);
    const received = entries[0]!;
    expect(received.actor).to.deep.equal(who(receiver));
    // The start event is written when the engine accepts the case; the workflow notes it a moment later.
    expect(Date.parse(view.receivedAt) - Date.parse(received.at)).to.be.within(0, 5_000);
    expect(received.deadline).to.equal(view.overallDueAt);

    // Each timer is set for one of the case's warning or due instants (before the overall deadline), and says which.
    const timers = entries.filter((e) => e.kind === 'timer');
    // At least the first step's; how many more depends on the hour (after hours, every step's alarm is the next morning's).
    expect(timers.length).to.be.at.least(1);
    for (const t of timers) {
      expect(t.text.vi).to.match(/^Hẹn giờ kiểm tra thời hạn đến \d{2}:\d{2} \d{2}\/\d{2}\/\d{4} \((mốc cảnh báo 75% thời hạn|thời hạn)/);
      expect(t.text.vi).to.contain(viInstant(Date.parse(t.deadline!)));
    }
    for (const t of timers) expect(Date.parse(t.deadline!)).to.be.within(Date.parse(view.receivedAt), Date.parse(view.overallDueAt));
    // Engine mechanics are all there, folded.
    expect(entries.filter((e) => e.eventType === 'WorkflowTaskCompleted').every((e) => e.technical === true)).to.equal(true);
    expect(entries.some((e) => e.technical && e.text.vi === 'Cập nhật sổ theo dõi hồ sơ — xong')).to.equal(true);

    // The export reads back to the same timeline.
    const exported = historyFromJSON(JSON.parse(historyToJSON(history)));
    expect(buildTimeline(exported).entries).to.deep.equal(entries);
  });

  it('names the refusal ground, the notice and the close of a refused case', async () => {
    const code = await office.runCase('refused');
    const { entries } = buildTimeline(await office.handle(code).fetchHistory());
    expect(visible(entries).map((e) => e.text.vi).filter((t) => !t.startsWith('Hẹn giờ'))).to.deep.equal([
      `Tiếp nhận hồ sơ ${code} tại UBND xã Nùng Năng: công dân Giàng A Páo, 1 bản chính (Giấy khai sinh), 1 bản sao`,
      'Từ chối chứng thực: Bản chính bị tẩy xóa, sửa chữa, thêm, bớt nội dung không hợp lệ — Bản chính có dấu hiệu tẩy xóa',
      'Đã thực hiện: từ chối chứng thực: Bản chính bị tẩy xóa, sửa chữa, thêm, bớt nội dung không hợp lệ — Bản chính có dấu hiệu tẩy xóa → hồ sơ đã từ chối chứng thực',
      'Lập thông báo từ chối gửi công dân — xong: đã nhắn SMS cho công dân',
      'Kết thúc hồ sơ: đã từ chối chứng thực',
    ]);
  });

  it('shows an action whose work failed, with the activity’s error', async () => {
    const code = await office.receive();
    const scan = await office.upload();
    const wrong = { ...scan, sha256: '0'.repeat(64) };
    await office
      .handle(code)
      .executeUpdate(attachScanUpdate, { args: [{ actor: office.officers.receiver, idempotencyKey: `${code}-bad`, scan: wrong }] })
      .then(
        () => expect.fail('the scan should not match'),
        () => undefined,
      );
    await office.handle(code).executeUpdate(withdrawUpdate, { args: [{ actor: office.officers.receiver, idempotencyKey: `${code}-w`, reason: 'Công dân xin rút' }] });
    await office.handle(code).result();
    const { entries } = buildTimeline(await office.handle(code).fetchHistory());
    const failedActivity = entries.find((e) => e.kind === 'activity-failed')!;
    expect(failedActivity.text.vi).to.match(/^Kiểm tra và lưu bản quét — thất bại sau 1 lần thử: Tệp bản quét không khớp/);
    const failedAction = entries.find((e) => e.kind === 'action-failed')!;
    expect(failedAction.actor?.fullName).to.equal(office.officers.receiver.fullName);
    expect(failedAction.text.vi).to.match(/^Đính kèm bản quét bản chính \(1 tệp\) — không thực hiện được: Tệp bản quét không khớp/);
  });

  it('shows a deadline timer firing at the 75% mark and the warning it raised', async function () {
    await requireTimeSkipping(this);
    const env = await testEnv();
    const code = await office.receive();
    const h = office.handle(code);
    const view = await h.query<CaseView>('caseView');
    const warnAt = Date.parse(view.currentStep!.warnAt);
    await env.sleep(warnAt - (await env.currentTimeMs()) + 60_000);
    await h.executeUpdate(withdrawUpdate, { args: [{ actor: office.officers.receiver, idempotencyKey: `${code}-w`, reason: 'Công dân xin rút' }] });
    const closed: CaseView = await h.result();
    expect(closed.warnings.length).to.be.greaterThan(0);
    const { entries } = buildTimeline(await h.fetchHistory());
    // Received in the afternoon, the case's overall 75% mark (the same day, before 17:00) comes
    // before the step's (the next morning): the step's own timer is looked for, whatever the hour.
    const armed = entries.find((e) => e.kind === 'timer' && e.deadline === view.currentStep!.warnAt);
    expect(armed, 'a timer set for the 75% mark of the step').to.not.equal(undefined);
    expect(armed!.text.vi).to.equal(`Hẹn giờ kiểm tra thời hạn đến ${viInstant(warnAt)} (mốc cảnh báo 75% thời hạn bước tiếp nhận, trình ký (bước 2))`);
    const fired = entries.find((e) => e.kind === 'timer-fired' && e.deadline === view.currentStep!.warnAt);
    expect(fired, 'that timer firing').to.not.equal(undefined);
    expect(fired!.text.vi).to.equal(`Đến giờ hẹn ${viInstant(warnAt)}`);
    const notice = entries.find((e) => e.kind === 'activity' && e.text.vi.startsWith('Báo thời hạn — xong: Cảnh báo sắp hết thời hạn bước'))!;
    expect(notice.eventId).to.be.greaterThan(fired!.eventId);
    expect(notice.text.vi).to.match(new RegExp(`^Báo thời hạn — xong: Cảnh báo sắp hết thời hạn bước tiếp nhận, trình ký \\(bước 2\\) \\(hạn ${escape(viInstant(Date.parse(view.currentStep!.dueAt)))}\\); `));
    expect(notice.deadline).to.equal(view.currentStep!.dueAt);
  });

  it('shows an event type it does not know by its name and number instead of dropping it', async () => {
    const code = await office.runCase('withdrawn-at-reception');
    const history = await office.handle(code).fetchHistory();
    const last = history.events!.at(-1)!;
    const next = Number(last.eventId) + 1;
    const extended: History = {
      events: [
        ...history.events!,
        { eventId: Long.fromNumber(next), eventTime: last.eventTime, eventType: temporal.api.enums.v1.EventType.EVENT_TYPE_WORKFLOW_EXECUTION_OPTIONS_UPDATED },
      ],
    };
    const entry = buildTimeline(extended).entries.at(-1)!;
    expect(entry).to.deep.include({ eventId: next, kind: 'event', eventType: 'WorkflowExecutionOptionsUpdated' });
    expect(entry.text).to.deep.equal({ vi: `Sự kiện WorkflowExecutionOptionsUpdated (#${next})`, en: `Event WorkflowExecutionOptionsUpdated (#${next})` });
  });
});

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}
