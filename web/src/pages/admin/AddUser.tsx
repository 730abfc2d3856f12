/**
 * "THÊM MỚI" (seed 000 part B step 1): an officer with his units and rights. A right the rules
 * refuse (ACCOUNT_CREATE outside a one-stop unit) comes back with the reason beside the rights.
 */
import { useState, type FormEvent } from 'react';
import { api } from '../../api';
import { Button, Field, Page, Problem, TextInput } from '../../components/ui';
import { useAction } from '../../components/useAction';
import { useI18n } from '../../i18n';
import { go } from '../../router';
import { place } from '../portal/problemAt';
import { RIGHT_CODES, type OfficerView, type Right, rightLabel, unitOption, useUnits, withDepth } from './adminData';

const TEXT_FIELDS = ['username', 'fullName', 'citizenId', 'phone', 'email', 'jobTitle', 'password'] as const;
type TextField = (typeof TEXT_FIELDS)[number];

/** Refusals about the rights chosen, shown beside them. */
export const RIGHT_REFUSALS = { ONE_STOP_NOT_ASSIGNED: 'rights', ONE_STOP_MISNAMED: 'rights' };

export function AddUser() {
  const { t } = useI18n();
  const { units } = useUnits();
  const [form, setForm] = useState<Record<TextField, string>>({ username: '', fullName: '', citizenId: '', phone: '', email: '', jobTitle: '', password: '' });
  const [unitIds, setUnitIds] = useState<string[]>([]);
  const [rights, setRights] = useState<Right[]>([]);
  const { busy, problem, run } = useAction();
  const where = place(problem, [...TEXT_FIELDS, 'unitIds', 'rights'], t, RIGHT_REFUSALS);

  const toggle = <T,>(list: T[], item: T): T[] => (list.includes(item) ? list.filter((x) => x !== item) : [...list, item]);

  function submit(e: FormEvent) {
    e.preventDefault();
    void run(async () => {
      const optional = (v: string) => (v.trim() === '' ? null : v.trim());
      const created = await api<OfficerView>('POST', '/api/admin/users', {
        body: {
          username: form.username.trim(),
          fullName: form.fullName,
          citizenId: form.citizenId.trim(),
          phone: optional(form.phone),
          email: optional(form.email),
          jobTitle: optional(form.jobTitle),
          password: form.password,
          unitIds,
          rights,
        },
      });
      go('admin', 'users', created.id);
    });
  }

  const text = (name: TextField, label: string, options: { required?: boolean; type?: string; hint?: string } = {}) => (
    <Field label={label} required={options.required} error={where.at(name)} hint={options.hint}>
      <TextInput name={name} type={options.type ?? 'text'} value={form[name]} onChange={(e) => setForm({ ...form, [name]: e.target.value })} />
    </Field>
  );

  return (
    <Page title={t('Thêm người dùng', 'Add a user')}>
      <form className="card" onSubmit={submit} noValidate>
        <div className="row">
          {text('fullName', t('Họ và tên', 'Full name'), { required: true })}
          {text('username', t('Tên đăng nhập', 'Username'), { required: true, hint: t('3–50 ký tự không dấu, ví dụ hoa.lt', '3–50 plain characters, e.g. hoa.lt') })}
          {text('citizenId', t('Số CCCD', 'ID number'), { required: true, hint: t('12 chữ số', '12 digits') })}
        </div>
        <div className="row">
          {text('phone', t('Số điện thoại', 'Phone'), { type: 'tel', hint: t('Di động nhận mã OTP khi đăng nhập; không có số này thì người dùng không đăng nhập được', 'The mobile that receives the login codes; without it the user cannot log in') })}
          {text('email', t('Thư điện tử', 'E-mail'), { type: 'email' })}
          {text('jobTitle', t('Chức danh', 'Job title'))}
        </div>
        <div className="row">
          {text('password', t('Mật khẩu ban đầu', 'Initial password'), { required: true, type: 'password', hint: t('Ít nhất 8 ký tự, gồm cả chữ và số', 'At least 8 characters, letters and digits') })}
        </div>
        <div className="row">
          <fieldset className={`choices${where.at('unitIds') ? ' has-error' : ''}`}>
            <legend>
              {t('Đơn vị', 'Units')}
              <span className="required"> *</span>
            </legend>
            <div className="choice-list">
              {withDepth(units).map((u) => (
                <label key={u.id} className="choice">
                  <input type="checkbox" checked={unitIds.includes(u.id)} onChange={() => setUnitIds(toggle(unitIds, u.id))} />
                  {unitOption(u)}
                </label>
              ))}
            </div>
            {where.at('unitIds') ? (
              <span className="field-error" role="alert">
                {where.at('unitIds')}
              </span>
            ) : null}
          </fieldset>
          <fieldset className={`choices${where.at('rights') ? ' has-error' : ''}`}>
            <legend>{t('Quyền', 'Rights')}</legend>
            <div className="choice-list">
              {RIGHT_CODES.map((r) => (
                <label key={r} className="choice">
                  <input type="checkbox" checked={rights.includes(r)} onChange={() => setRights(toggle(rights, r))} />
                  {rightLabel(r, t)}
                </label>
              ))}
            </div>
            {where.at('rights') ? (
              <span className="field-error" role="alert">
                {where.at('rights')}
              </span>
            ) : null}
          </fieldset>
        </div>
        <Problem problem={where.banner} />
        <Button type="submit" busy={busy} name="create">
          {t('Lưu người dùng', 'Save the user')}
        </Button>
        <a href="#/admin/users" className="secondary-link">
          {t('Quay lại danh sách', 'Back to the list')}
        </a>
      </form>
    </Page>
  );
}
