/**
 * "Giấy tờ của tôi" for officers (seed 000 step 4: the copy is "kept in the officer's and the
 * leader's accounts"): the certified copies of the cases the officer received, signed or sealed,
 * newest first, found by case code and delivery date; each downloaded under a name made of its
 * kind and case code, and checked on the public verification page.
 */
import { useEffect, useState } from 'react';
import { api } from '../../api';
import { Button, Field, Page, Problem, TextInput, Pager } from '../../components/ui';
import { dateTime } from '../../format';
import { useI18n } from '../../i18n';
import { DateInput } from '../../components/DateInput';
import { downloadFile } from '../cases/authorizedFiles';

interface OfficerDocument {
  id: string;
  caseCode: string;
  kind: string;
  role: 'receiver' | 'signer' | 'sealer' | string;
  title: string;
  bytes: number;
  createdAt: string;
  fileName: string;
  verifyUrl?: string;
}

const PAGE_SIZE = 20;
const ROLE: Record<string, readonly [string, string]> = {
  receiver: ['Người tiếp nhận', 'Received it'],
  signer: ['Người ký', 'Signed it'],
  sealer: ['Người cấp số, đóng dấu', 'Numbered and sealed it'],
};

function size(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1).replace('.', ',')} MB` : `${Math.max(1, Math.round(bytes / 1024))} KB`;
}

export function OfficerDocuments() {
  const { t } = useI18n();
  const [filters, setFilters] = useState({ q: '', from: '', to: '' });
  const [pageNo, setPageNo] = useState(1);
  const [list, setList] = useState<{ total: number; items: OfficerDocument[] } | null>(null);
  const [problem, setProblem] = useState<unknown>(null);
  const [saving, setSaving] = useState<string | null>(null);

  useEffect(() => {
    const query = new URLSearchParams({ page: String(pageNo), pageSize: String(PAGE_SIZE) });
    for (const [k, v] of Object.entries(filters)) if (v.trim() !== '') query.set(k, v.trim());
    let live = true;
    setProblem(null);
    api<{ total: number; items: OfficerDocument[] }>('GET', `/api/documents?${query.toString()}`)
      .then((r) => live && setList(r))
      .catch((err: unknown) => live && setProblem(err));
    return () => {
      live = false;
    };
  }, [filters, pageNo]);

  const filter = (change: Partial<typeof filters>) => {
    setFilters((f) => ({ ...f, ...change }));
    setPageNo(1);
  };

  async function download(d: OfficerDocument) {
    setSaving(d.id);
    setProblem(null);
    try {
      await downloadFile(`/api/documents/${d.id}`, d.fileName);
    } catch (err) {
      setProblem(err);
    } finally {
      setSaving(null);
    }
  }

  const pages = list ? Math.max(1, Math.ceil(list.total / PAGE_SIZE)) : 1;
  const filtered = filters.q !== '' || filters.from !== '' || filters.to !== '';
  return (
    <Page title={t('Giấy tờ của tôi', 'My documents')}>
      <div className="card filters row">
        <Field label={t('Mã hồ sơ', 'Case code')}>
          <TextInput name="q" value={filters.q} placeholder={t('Một phần mã hồ sơ', 'Part of the case code')} onChange={(e) => filter({ q: e.target.value })} />
        </Field>
        <Field label={t('Từ ngày', 'From')}>
          <DateInput name="from" aria-label={t('Từ ngày', 'From')} value={filters.from} onChange={(from) => filter({ from })} />
        </Field>
        <Field label={t('Đến ngày', 'To')}>
          <DateInput name="to" aria-label={t('Đến ngày', 'To')} value={filters.to} onChange={(to) => filter({ to })} />
        </Field>
      </div>
      <Problem problem={problem} />
      {list && list.items.length === 0 ? (
        <p className="empty">
          {filtered
            ? t('Không có giấy tờ nào thỏa mãn điều kiện lọc.', 'No document matches these filters.')
            : t('Anh/chị chưa có giấy tờ nào: bản sao chứng thực của hồ sơ anh/chị tiếp nhận, ký hoặc đóng dấu sẽ có ở đây.', 'No document yet: certified copies of the cases you receive, sign or seal appear here.')}
        </p>
      ) : null}
      {list && list.items.length > 0 ? (
        <>
          <p className="cs-muted">{t(`${list.total} giấy tờ.`, `${list.total} documents.`)}</p>
          <table className="grid static" data-testid="my-documents">
            <thead>
              <tr>
                <th>{t('Giấy tờ', 'Document')}</th>
                <th>{t('Mã hồ sơ', 'Case')}</th>
                <th>{t('Vai trò', 'Role')}</th>
                <th>{t('Ngày nhận', 'Delivered')}</th>
                <th>{t('Dung lượng', 'Size')}</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {list.items.map((d) => (
                <tr key={d.id}>
                  <td>{d.title}</td>
                  <td className="mono">
                    <a href={`#/cases/${encodeURIComponent(d.caseCode)}`}>{d.caseCode}</a>
                  </td>
                  <td>{ROLE[d.role] ? t(ROLE[d.role][0], ROLE[d.role][1]) : d.role}</td>
                  <td>{dateTime(d.createdAt)}</td>
                  <td>{size(d.bytes)}</td>
                  <td className="actions">
                    <Button kind="secondary" busy={saving === d.id} onClick={() => void download(d)}>
                      {t('Tải về', 'Download')}
                    </Button>
                    {d.verifyUrl ? (
                      <a className="btn btn-secondary" href={d.verifyUrl} target="_blank" rel="noreferrer">
                        {t('Kiểm tra', 'Verify')}
                      </a>
                    ) : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      ) : null}
      <Pager page={pageNo} pages={pages} onPage={setPageNo} />
    </Page>
  );
}
