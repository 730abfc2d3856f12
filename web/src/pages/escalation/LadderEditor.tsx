/**
 * A unit's escalation ladder: when a case's deadline nears or passes, who is told and how. The
 * unit follows its own ladder, else its nearest parent's, else the default; saving gives it its
 * own, for the cases received from then on. Every problem the API finds is shown at its field.
 */
import { useEffect, useState } from 'react';
import { api, ApiProblem } from '../../api';
import { Button, Field, Page, Problem, Select, TextInput, fieldError } from '../../components/ui';
import { useAction } from '../../components/useAction';
import { dateTime } from '../../format';
import { useI18n } from '../../i18n';
import { useOfficer } from '../../officer';
import { go } from '../../router';
import { unitOption, useUnits, withDepth } from '../admin/adminData';
import type { EscalationRung, LadderView, RungAudience, RungChannel, RungScope } from './types';

interface RungForm {
  id: string;
  kind: 'budgetShare' | 'afterDue';
  /** Percent or working minutes, as typed. */
  amount: string;
  scope: RungScope;
  notify: RungAudience;
  channels: RungChannel[];
}

const MAX_RUNGS = 10;

function formOf(r: EscalationRung): RungForm {
  return {
    id: r.id,
    kind: r.trigger.kind,
    amount: String(r.trigger.kind === 'budgetShare' ? r.trigger.percent : r.trigger.workingMinutes),
    scope: r.scope,
    notify: r.notify,
    channels: [...r.channels],
  };
}

/** What the API gets: numbers as typed (the API says what is wrong with them). */
function bodyOf(f: RungForm): unknown {
  const amount = f.amount.trim() === '' ? null : Number(f.amount);
  return {
    id: f.id.trim(),
    trigger: f.kind === 'budgetShare' ? { kind: 'budgetShare', percent: amount } : { kind: 'afterDue', workingMinutes: amount },
    scope: f.scope,
    notify: f.notify,
    channels: f.channels,
  };
}

export function LadderEditor({ route }: { route: string[] }) {
  const { t } = useI18n();
  const { officer } = useOfficer();
  const { units, problem: unitsProblem } = useUnits();
  const unitId = route[1] ?? officer?.units[0]?.id ?? '';
  const [view, setView] = useState<LadderView | null>(null);
  const [rungs, setRungs] = useState<RungForm[]>([]);
  const [head, setHead] = useState('');
  const [loadProblem, setLoadProblem] = useState<unknown>(null);
  const [saved, setSaved] = useState(false);
  const save = useAction();

  const show = (v: LadderView) => {
    setView(v);
    setRungs(v.rungs.map(formOf));
    setHead(v.headOfficer?.id ?? '');
  };

  useEffect(() => {
    if (!unitId) return;
    setView(null);
    setSaved(false);
    api<LadderView>('GET', `/api/units/${unitId}/escalation-ladder`)
      .then((v) => {
        show(v);
        setLoadProblem(null);
      })
      .catch(setLoadProblem);
  }, [unitId]);

  const change = (i: number, patch: Partial<RungForm>) => {
    setSaved(false);
    setRungs((list) => list.map((r, j) => (j === i ? { ...r, ...patch } : r)));
  };
  const toggleChannel = (i: number, c: RungChannel, on: boolean) =>
    change(i, { channels: on ? [...rungs[i]!.channels.filter((x) => x !== c), c] : rungs[i]!.channels.filter((x) => x !== c) });

  const submit = () =>
    save.run(async () => {
      const v = await api<LadderView>('PUT', `/api/units/${unitId}/escalation-ladder`, { body: { rungs: rungs.map(bodyOf), headOfficerId: head || null } });
      show(v);
      setSaved(true);
    });

  const err = (path: string) => fieldError(save.problem, path);
  const audience = (a: RungAudience) =>
    ({ stepOfficers: t('Cán bộ xử lý bước', "The step's officers"), supervisors: t('Người giám sát', 'Supervisors'), unitHead: t('Thủ trưởng đơn vị', 'Head of the unit') })[a];

  return (
    <Page title={t('Thang cảnh báo, nhắc hạn', 'Escalation ladder')}>
      <Problem problem={unitsProblem ?? loadProblem} />
      <section className="card">
        <Field label={t('Đơn vị', 'Unit')}>
          <Select value={unitId} onChange={(e) => go('escalation', e.target.value)}>
            {withDepth(units).map((u) => (
              <option key={u.id} value={u.id}>
                {unitOption(u)}
              </option>
            ))}
          </Select>
        </Field>
        {view ? (
          <p className="cs-muted" data-testid="ladder-source">
            {view.own
              ? t(`Đơn vị có thang cảnh báo riêng, cập nhật ${dateTime(view.updatedAt)}.`, `The unit has its own ladder, updated ${dateTime(view.updatedAt)}.`)
              : view.source
                ? t(`Đang dùng thang cảnh báo của ${view.source.name}.`, `Following the ladder of ${view.source.name}.`)
                : t('Đang dùng thang cảnh báo mặc định.', 'Following the default ladder.')}{' '}
            {t('Thay đổi áp dụng cho hồ sơ tiếp nhận từ khi lưu.', 'Changes apply to cases received after saving.')}
          </p>
        ) : null}
      </section>

      {view ? (
        <section className="card">
          <h2>{t('Các bậc cảnh báo', 'Rungs')}</h2>
          {rungs.length === 0 ? <p className="cs-muted">{t('Không có bậc nào: chỉ ghi nhận quá hạn, không báo ai.', 'No rungs: breaches are recorded, nobody is told.')}</p> : null}
          {rungs.map((r, i) => (
            <fieldset key={i} className="esc-rung" aria-label={t(`Bậc ${i + 1}`, `Rung ${i + 1}`)}>
              <legend>{t(`Bậc ${i + 1}`, `Rung ${i + 1}`)}</legend>
              <Field label={t('Mã bậc', 'Rung id')} error={err(`rungs.${i}.id`)}>
                <TextInput value={r.id} onChange={(e) => change(i, { id: e.target.value })} />
              </Field>
              <Field label={t('Khi nào', 'When')} error={err(`rungs.${i}.trigger.kind`)}>
                <Select value={r.kind} onChange={(e) => change(i, { kind: e.target.value as RungForm['kind'] })}>
                  <option value="budgetShare">{t('Trước hạn (% thời hạn)', 'Before (% of the time)')}</option>
                  <option value="afterDue">{t('Sau khi quá hạn', 'After the deadline')}</option>
                </Select>
              </Field>
              {r.kind === 'budgetShare' ? (
                <Field label={t('Phần trăm thời hạn (%)', 'Share of the time (%)')} error={err(`rungs.${i}.trigger.percent`)}>
                  <TextInput type="number" value={r.amount} onChange={(e) => change(i, { amount: e.target.value })} />
                </Field>
              ) : (
                <Field label={t('Phút làm việc sau hạn', 'Working minutes after')} error={err(`rungs.${i}.trigger.workingMinutes`)}>
                  <TextInput type="number" value={r.amount} onChange={(e) => change(i, { amount: e.target.value })} />
                </Field>
              )}
              <Field label={t('Thời hạn', 'Deadline')} error={err(`rungs.${i}.scope`)}>
                <Select value={r.scope} onChange={(e) => change(i, { scope: e.target.value as RungScope })}>
                  <option value="step">{t('Hạn của bước đang xử lý', "The open step's deadline")}</option>
                  <option value="overall">{t('Hạn trả kết quả', 'The overall deadline')}</option>
                </Select>
              </Field>
              <Field label={t('Báo cho', 'Tell')} error={err(`rungs.${i}.notify`)}>
                <Select value={r.notify} onChange={(e) => change(i, { notify: e.target.value as RungAudience })}>
                  {(['stepOfficers', 'supervisors', 'unitHead'] as const).map((a) => (
                    <option key={a} value={a}>
                      {audience(a)}
                    </option>
                  ))}
                </Select>
              </Field>
              <div className={`esc-channels${err(`rungs.${i}.channels`) ? ' has-error' : ''}`}>
                <span className="field-label">{t('Kênh', 'Channels')}</span>
                <label>
                  <input type="checkbox" checked={r.channels.includes('inApp')} onChange={(e) => toggleChannel(i, 'inApp', e.target.checked)} /> {t('Trong phần mềm', 'In the app')}
                </label>
                <label>
                  <input type="checkbox" checked={r.channels.includes('email')} onChange={(e) => toggleChannel(i, 'email', e.target.checked)} /> Email
                </label>
                <label>
                  <input type="checkbox" checked={r.channels.includes('sms')} onChange={(e) => toggleChannel(i, 'sms', e.target.checked)} /> SMS
                </label>
                {err(`rungs.${i}.channels`) ? (
                  <span className="field-error" role="alert">
                    {err(`rungs.${i}.channels`)}
                  </span>
                ) : null}
              </div>
              <Button kind="secondary" onClick={() => setRungs((list) => list.filter((_, j) => j !== i))}>
                {t('Xóa bậc', 'Remove')}
              </Button>
            </fieldset>
          ))}
          <Button
            kind="secondary"
            disabled={rungs.length >= MAX_RUNGS}
            onClick={() => setRungs((list) => [...list, { id: `bac-${list.length + 1}`, kind: 'afterDue', amount: '0', scope: 'step', notify: 'supervisors', channels: ['inApp', 'email'] }])}
          >
            {t('Thêm bậc', 'Add a rung')}
          </Button>
          <Field
            label={t('Thủ trưởng đơn vị', 'Head of the unit')}
            error={err('headOfficerId')}
            hint={t('Để trống: lãnh đạo đơn vị (cán bộ của đơn vị có quyền ký).', "Empty: the unit's leaders (its officers who sign).")}
          >
            <Select value={head} onChange={(e) => setHead(e.target.value)}>
              <option value="">{t('Lãnh đạo đơn vị (người có quyền ký)', "The unit's leaders (who sign)")}</option>
              {view.officers.map((o) => (
                <option key={o.id} value={o.id}>
                  {o.fullName}
                </option>
              ))}
            </Select>
          </Field>
          {err('rungs') ? (
            <p className="field-error" role="alert">
              {err('rungs')}
            </p>
          ) : null}
          <Problem problem={save.problem instanceof ApiProblem && save.problem.fields.length > 0 ? null : save.problem} />
          <div className="esc-actions">
            <Button busy={save.busy} onClick={() => void submit()}>
              {t('Lưu thang cảnh báo', 'Save the ladder')}
            </Button>
            {saved ? (
              <span className="esc-saved" role="status">
                {t('Đã lưu.', 'Saved.')}
              </span>
            ) : null}
          </div>
        </section>
      ) : null}
    </Page>
  );
}
