/**
 * An appointment's own clock, on the engine's time skipping: the reminder goes by SMS at the
 * opening of the working day before, once; nobody at the desk by the slot's end and its grace
 * makes it a no-show, and its place is given back.
 */
import { expect } from 'chai';
import { reminderAt } from '../../domain/appointments/reminder';
import { formatLocalDateTime } from '../../domain/calendar';
import { NO_SHOW_GRACE_MINUTES } from '../../api/appointments/booking';
import { loadUnitCalendar } from '../../infra/calendarStore';
import { replayClosedWorkflows } from '../../infra/replay';
import { workflowBundle } from '../certification/world';
import { requireTimeSkipping, testEnv } from '../engine/harness';
import { bookTestAppointment } from '../support/appointments';
import { startCaseApp, type CaseApp } from '../support/caseApp';
import { until } from '../support/until';

const MINUTE = 60_000;


describe('Appointments: reminder and no-show on the engine clock', function () {
  this.timeout(240_000);
  let app: CaseApp;

  before(async function () {
    await requireTimeSkipping(this);
    app = await startCaseApp();
  });
  after(async () => app?.close());

  it('reminds the citizen once at the opening of the working day before, then marks a no-show after the slot and its grace and gives the place back', async () => {
    const env = await testEnv();
    const engineNow = async () => env.currentTimeMs();
    app.clock.set(new Date(await engineNow()));
    // Four days ahead: the working day before it is still to come.
    const booked = await bookTestAppointment(app, app.org.communeA, undefined, (await engineNow()) + 4 * 24 * 60 * MINUTE);
    const calendar = await loadUnitCalendar(app.ctx.db, app.org.communeA);
    const remindAt = reminderAt(calendar, Date.parse(booked.slotStart))!;
    expect(remindAt, 'the reminder is ahead').to.be.greaterThan(await engineNow());
    const phone = `09${booked.citizen.idNumber.slice(-8)}`;
    const reminders = async () => (await app.ctx.db.query(`select body, created_at from sms_outbox where to_phone = $1 and purpose = 'appointment_reminder'`, [phone])) as Array<{ body: string }>;

    await env.sleep(remindAt - MINUTE - (await engineNow()));
    expect(await reminders(), 'nothing before its time').to.deep.equal([]);
    await env.sleep(2 * MINUTE);
    const sent = await until('the reminder', async () => ((await reminders()).length > 0 ? reminders() : undefined));
    expect(sent).to.have.length(1);
    expect(sent[0]!.body).to.contain(booked.code).and.to.contain(formatLocalDateTime(Date.parse(booked.slotStart)).slice(11, 16));

    const status = async () => ((await app.ctx.db.query('select status, holds_slot from appointments where code = $1', [booked.code])) as Array<{ status: string; holds_slot: boolean }>)[0]!;
    const slotEnd = Date.parse(booked.slotStart) + 30 * MINUTE;
    await env.sleep(slotEnd + (NO_SHOW_GRACE_MINUTES - 1) * MINUTE - (await engineNow()));
    expect((await status()).status, 'still booked within the grace').to.equal('booked');
    await env.sleep(2 * MINUTE);
    const ended = await until('the no-show', async () => ((await status()).status === 'no_show' ? status() : undefined));
    expect(ended.holds_slot).to.equal(false);
    const places: Array<{ booked: number }> = await app.ctx.db.query('select booked from appointment_slots where unit_id = $1 and slot_start = $2', [app.org.communeA, new Date(booked.slotStart)]);
    expect(places[0]!.booked).to.equal(0);
    expect(await reminders(), 'one reminder in all').to.have.length(1);

    // The auditor's replay takes the closed appointment with the cases, deterministic on this code.
    const closedAt = await engineNow();
    const summary = await replayClosedWorkflows({ client: app.client, query: { period: { from: new Date(closedAt - 86_400_000), to: new Date(closedAt + 86_400_000) } }, bundle: await workflowBundle() });
    expect(summary.divergent).to.deep.equal([]);
    expect(summary.deterministic).to.be.greaterThan(0);
  });
});
