/**
 * The unit tree (province › district › commune › desk) of the administrator's scope: add a unit
 * below one of them, rename one — the way a misnamed one-stop desk is fixed.
 */
import { useState, type FormEvent } from 'react';
import { api } from '../../api';
import { Button, Field, Page, Problem, Select, TextInput } from '../../components/ui';
import { useAction } from '../../components/useAction';
import { useI18n } from '../../i18n';
import { place } from '../portal/problemAt';
import { LEVELS, type UnitItem, unitOption, useUnits, withDepth } from './adminData';

function RenameRow({ unit, onDone }: { unit: UnitItem; onDone(): void }) {
  const { t } = useI18n();
  const [name, setName] = useState(unit.name);
  const { busy, problem, run } = useAction();
  const where = place(problem, ['name'], t);
  function save(e: FormEvent) {
    e.preventDefault();
    void run(async () => {
      await api('PATCH', `/api/admin/units/${unit.id}`, { body: { name } });
      onDone();
    });
  }
  return (
    <form className="rename" onSubmit={save}>
      <Field label={t('Tên mới', 'New name')} error={where.at('name')}>
        <TextInput name="rename" value={name} autoFocus onChange={(e) => setName(e.target.value)} />
      </Field>
      <Problem problem={where.banner} />
      <Button type="submit" busy={busy}>
        {t('Lưu tên', 'Save the name')}
      </Button>
    </form>
  );
}

export function Units() {
  const { t } = useI18n();
  const { units, problem: loadProblem, reload } = useUnits();
  const [renaming, setRenaming] = useState<string | null>(null);
  const [form, setForm] = useState({ code: '', name: '', level: 'office', parentId: '' });
  const { busy, problem, run } = useAction();
  const [added, setAdded] = useState<string | null>(null);
  const where = place(problem, ['code', 'name', 'level', 'parentId'], t);
  const tree = withDepth(units);

  function add(e: FormEvent) {
    e.preventDefault();
    setAdded(null);
    void run(async () => {
      const u = await api<UnitItem>('POST', '/api/admin/units', { body: form });
      setAdded(u.name);
      setForm({ ...form, code: '', name: '' });
      reload();
    });
  }

  return (
    <Page title={t('Đơn vị', 'Units')}>
      <Problem problem={loadProblem} />
      <table className="grid static" data-testid="units">
        <thead>
          <tr>
            <th>{t('Tên đơn vị', 'Name')}</th>
            <th>{t('Mã định danh', 'Code')}</th>
            <th>{t('Cấp', 'Level')}</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {tree.map((u) => {
            const level = LEVELS.find((l) => l.key === u.level);
            return (
              <tr key={u.id}>
                <td style={{ paddingLeft: 9 + u.depth * 22 }}>
                  {renaming === u.id ? (
                    <RenameRow
                      unit={u}
                      onDone={() => {
                        setRenaming(null);
                        reload();
                      }}
                    />
                  ) : (
                    <>
                      {u.name}
                      {u.oneStop ? <span className="tag">{t('Một cửa', 'One-stop')}</span> : null}
                      {u.misnamedOneStop ? (
                        <span className="tag warn" title={t('Tên bộ phận một cửa phải chứa “Bộ phận Một cửa” hoặc “Trung tâm Phục vụ hành chính công”', 'A one-stop unit’s name must contain “Bộ phận Một cửa” or “Trung tâm Phục vụ hành chính công”')}>
                          {t('Đặt tên chưa đúng', 'Misnamed')}
                        </span>
                      ) : null}
                    </>
                  )}
                </td>
                <td className="mono">{u.code}</td>
                <td>{level ? t(level.vi, level.en) : u.level}</td>
                <td className="actions">
                  {renaming === u.id ? (
                    <button type="button" className="link-button" onClick={() => setRenaming(null)}>
                      {t('Hủy', 'Cancel')}
                    </button>
                  ) : (
                    <button type="button" className="link-button" onClick={() => setRenaming(u.id)}>
                      {t('Đổi tên', 'Rename')}
                    </button>
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>

      <form className="card" onSubmit={add} noValidate>
        <h2 className="section-title">{t('Thêm đơn vị', 'Add a unit')}</h2>
        {added ? (
          <p className="notice" role="status">
            {t(`Đã thêm ${added}.`, `${added} added.`)}
          </p>
        ) : null}
        <div className="row">
          <Field label={t('Đơn vị cấp trên', 'Parent unit')} required error={where.at('parentId')}>
            <Select name="parentId" value={form.parentId} onChange={(e) => setForm({ ...form, parentId: e.target.value })}>
              <option value="">{t('— Chọn đơn vị —', '— Pick a unit —')}</option>
              {tree.map((u) => (
                <option key={u.id} value={u.id}>
                  {unitOption(u)}
                </option>
              ))}
            </Select>
          </Field>
          <Field label={t('Cấp', 'Level')} required error={where.at('level')}>
            <Select name="level" value={form.level} onChange={(e) => setForm({ ...form, level: e.target.value })}>
              {LEVELS.map((l) => (
                <option key={l.key} value={l.key}>
                  {t(l.vi, l.en)}
                </option>
              ))}
            </Select>
          </Field>
        </div>
        <div className="row">
          <Field label={t('Mã định danh', 'Code')} required error={where.at('code')} hint={t('Dạng 000.15.43.H35, thêm .01 cho bộ phận trực thuộc', 'Like 000.15.43.H35, with .01 for a desk inside it')}>
            <TextInput name="code" value={form.code} onChange={(e) => setForm({ ...form, code: e.target.value })} />
          </Field>
          <Field label={t('Tên đơn vị', 'Name')} required error={where.at('name')}>
            <TextInput name="name" value={form.name} onChange={(e) => setForm({ ...form, name: e.target.value })} />
          </Field>
        </div>
        <Problem problem={where.banner} />
        <Button type="submit" busy={busy} name="add-unit">
          {t('Thêm đơn vị', 'Add the unit')}
        </Button>
      </form>
    </Page>
  );
}
