/**
 * One officer: his details and status, the units he is assigned to ("Gán người dùng vào đơn vị")
 * and his rights ("Gán quyền người dùng"). Each change answers the officer as he now is; a refusal
 * shows its reason beside the section it concerns.
 */
import { useEffect, useState } from 'react';
import { api } from '../../api';
import { Button, Field, Page, Problem, Select } from '../../components/ui';
import { useAction } from '../../components/useAction';
import { useI18n } from '../../i18n';
import { useOfficer } from '../../officer';
import { JobTitleEditor } from './JobTitleEditor';
import { RIGHT_CODES, type OfficerView, type Right, rightLabel, unitOption, useUnits, withDepth } from './adminData';

type Section = 'status' | 'units' | 'rights';

export function UserDetail({ id }: { id: string }) {
  const { t } = useI18n();
  const { units } = useUnits();
  const { officer: me } = useOfficer();
  const [officer, setOfficer] = useState<OfficerView | null>(null);
  const [newUnit, setNewUnit] = useState('');
  const [loadProblem, setLoadProblem] = useState<unknown>(null);
  const [done, setDone] = useState<string | null>(null);
  const actions: Record<Section, ReturnType<typeof useAction>> = { status: useAction(), units: useAction(), rights: useAction() };
  // One change at a time on the same officer: every button waits while any of them runs.
  const busy = actions.status.busy || actions.units.busy || actions.rights.busy;

  useEffect(() => {
    api<OfficerView>('GET', `/api/admin/users/${encodeURIComponent(id)}`)
      .then(setOfficer)
      .catch(setLoadProblem);
  }, [id]);

  function change(section: Section, method: string, path: string, body: unknown, message: string) {
    // A new change replaces what the last one said, whichever section it was in.
    setDone(null);
    for (const other of Object.values(actions)) other.setProblem(null);
    return actions[section].run(async () => {
      const r = await api<OfficerView | { changed: boolean; user: OfficerView }>(method, `/api/admin/users/${encodeURIComponent(id)}${path}`, body === undefined ? {} : { body });
      setOfficer('user' in r ? r.user : r);
      setDone(message);
    });
  }
  const problemIn = (s: Section) => actions[s].problem;

  if (!officer) {
    return (
      <Page title={t('Người dùng', 'User')}>
        <Problem problem={loadProblem} />
      </Page>
    );
  }
  const assignable = withDepth(units).filter((u) => !officer.units.some((o) => o.id === u.id));
  const active = officer.status === 'active';
  // Nobody grants himself a right (the API refuses it too): another administrator must.
  const self = me?.id === officer.id;

  return (
    <Page
      title={officer.fullName}
      actions={
        <a href="#/admin/users" className="btn btn-secondary">
          {t('Quay lại danh sách', 'Back to the list')}
        </a>
      }
    >
      {done ? (
        <p className="notice" role="status">
          {done}
        </p>
      ) : null}
      <div className="card">
        <dl className="details inline">
          <div>
            <dt>{t('Tên đăng nhập', 'Username')}</dt>
            <dd className="mono">{officer.username}</dd>
          </div>
          <div>
            <dt>{t('Số CCCD', 'ID number')}</dt>
            <dd className="mono">{officer.citizenId}</dd>
          </div>
          <div>
            <dt>{t('Điện thoại', 'Phone')}</dt>
            <dd>{officer.phone ?? '—'}</dd>
          </div>
          <div>
            <dt>{t('Thư điện tử', 'E-mail')}</dt>
            <dd>{officer.email ?? '—'}</dd>
          </div>
          <div>
            <dt>{t('Chức danh', 'Job title')}</dt>
            <dd>
              <JobTitleEditor officer={officer} onSaved={setOfficer} />
            </dd>
          </div>
          <div>
            <dt>{t('Trạng thái', 'Status')}</dt>
            <dd>
              {active ? t('Hoạt động', 'Active') : t('Ngừng hoạt động', 'Inactive')}{' '}
              <Button
                kind={active ? 'danger' : 'secondary'}
                busy={busy}
                onClick={() =>
                  void change('status', 'PATCH', '', { status: active ? 'inactive' : 'active' }, active ? t('Đã ngừng hoạt động tài khoản.', 'The account is deactivated.') : t('Đã kích hoạt lại tài khoản.', 'The account is active again.'))
                }
              >
                {active ? t('Ngừng hoạt động', 'Deactivate') : t('Kích hoạt lại', 'Reactivate')}
              </Button>
            </dd>
          </div>
        </dl>
        <Problem problem={problemIn('status')} />
      </div>

      <div className="row top">
        <section className="card" aria-labelledby="units-title">
          <h2 id="units-title" className="section-title">
            {t('Đơn vị công tác', 'Units')}
          </h2>
          <ul className="plain-list">
            {officer.units.map((u) => (
              <li key={u.id}>
                {u.name} <span className="mono field-hint">({u.code})</span>{' '}
                <button type="button" className="link-button" onClick={() => void change('units', 'DELETE', `/units/${u.id}`, undefined, t(`Đã gỡ ${u.name}.`, `Removed from ${u.name}.`))}>
                  {t('Gỡ', 'Remove')}
                </button>
              </li>
            ))}
          </ul>
          <Field label={t('Gán thêm đơn vị', 'Assign a unit')}>
            <Select name="newUnit" value={newUnit} onChange={(e) => setNewUnit(e.target.value)}>
              <option value="">{t('— Chọn đơn vị —', '— Pick a unit —')}</option>
              {assignable.map((u) => (
                <option key={u.id} value={u.id}>
                  {unitOption(u)}
                </option>
              ))}
            </Select>
          </Field>
          <Button
            kind="secondary"
            busy={busy}
            disabled={!newUnit}
            onClick={() => {
              void change('units', 'POST', '/units', { unitId: newUnit }, t('Đã gán đơn vị.', 'The unit is assigned.')).then(() => setNewUnit(''));
            }}
          >
            {t('Gán đơn vị', 'Assign')}
          </Button>
          <Problem problem={problemIn('units')} />
        </section>

        <section className="card" aria-labelledby="rights-title">
          <h2 id="rights-title" className="section-title">
            {t('Quyền', 'Rights')}
          </h2>
          {self ? (
            <p className="field-hint" data-testid="self-grant-note">
              {t(
                'Bạn không thể tự cấp quyền cho chính mình, nhất là quyền ký, đóng dấu và kiểm tra: hãy nhờ một quản trị viên khác.',
                'You cannot grant yourself a right — signing, sealing and auditing above all: ask another administrator.',
              )}
            </p>
          ) : null}
          <Problem problem={problemIn('rights')} />
          <table className="grid static compact" data-testid="rights">
            <tbody>
              {RIGHT_CODES.map((r: Right) => {
                const held = officer.rights.includes(r);
                return (
                  <tr key={r}>
                    <td>{held ? '✓' : ''}</td>
                    <td>{rightLabel(r, t)}</td>
                    <td className="actions">
                      {held ? (
                        <Button kind="secondary" busy={busy} onClick={() => void change('rights', 'DELETE', `/rights/${r}`, undefined, t(`Đã thu hồi quyền “${rightLabel(r, t)}”.`, `Revoked “${rightLabel(r, t)}”.`))}>
                          {t('Thu hồi', 'Revoke')}
                        </Button>
                      ) : self ? null : (
                        <Button kind="primary" busy={busy} name={`grant-${r}`} onClick={() => void change('rights', 'POST', '/rights', { right: r }, t(`Đã cấp quyền “${rightLabel(r, t)}”.`, `Granted “${rightLabel(r, t)}”.`))}>
                          {t('Cấp quyền', 'Grant')}
                        </Button>
                      )}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </section>
      </div>
    </Page>
  );
}
