/**
 * An officer's job title (chức danh), edited in place on his page: the certification block prints
 * it under the signer's name, and a signing delegation takes its form from it (a "Phó …" signs
 * KT., anyone else TUQ.). Empty clears it: the block then says "Người thực hiện chứng thực".
 */
import { useState, type FormEvent } from 'react';
import { api } from '../../api';
import { Button, Problem, TextInput } from '../../components/ui';
import { useAction } from '../../components/useAction';
import { useI18n } from '../../i18n';
import type { OfficerView } from './adminData';

export function JobTitleEditor({ officer, onSaved }: { officer: OfficerView; onSaved(o: OfficerView): void }) {
  const { t } = useI18n();
  const [editing, setEditing] = useState(false);
  const [value, setValue] = useState(officer.jobTitle ?? '');
  const { busy, problem, run } = useAction();

  function save(e: FormEvent) {
    e.preventDefault();
    void run(async () => {
      const jobTitle = value.trim() === '' ? null : value;
      onSaved(await api<OfficerView>('PATCH', `/api/admin/users/${encodeURIComponent(officer.id)}`, { body: { jobTitle } }));
      setEditing(false);
    });
  }

  if (!editing) {
    return (
      <>
        <span data-testid="job-title">{officer.jobTitle ?? '—'}</span>{' '}
        <button
          type="button"
          className="link-button"
          onClick={() => {
            setValue(officer.jobTitle ?? '');
            setEditing(true);
          }}
        >
          {t('Sửa', 'Edit')}
        </button>
      </>
    );
  }
  return (
    <form className="inline-form" onSubmit={save}>
      <TextInput name="jobTitle" aria-label={t('Chức danh', 'Job title')} value={value} maxLength={120} placeholder={t('Ví dụ: Phó Chủ tịch UBND xã', 'e.g. Phó Chủ tịch UBND xã')} onChange={(e) => setValue(e.target.value)} />{' '}
      <Button type="submit" busy={busy} name="save-job-title">
        {t('Lưu', 'Save')}
      </Button>{' '}
      <Button kind="secondary" onClick={() => setEditing(false)}>
        {t('Hủy', 'Cancel')}
      </Button>
      <Problem problem={problem} />
    </form>
  );
}
