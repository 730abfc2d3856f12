/**
 * "Giấy tờ của tôi": the certified copies delivered to the citizen, newest first, each opened as
 * its PDF. A copy is checked on the public verification page — by the link it carries when the
 * list gives one, else by its number and date (printed on the copy) at /verify.
 */
import { useEffect, useState } from 'react';
import { api } from '../../api';
import { downloadFile } from '../cases/authorizedFiles';
import { Button, Page, Problem, Pager } from '../../components/ui';
import { dateTime } from '../../format';
import { useI18n } from '../../i18n';

export interface CitizenDocument {
  id: string;
  caseCode: string;
  kind: string;
  title: string;
  sha256: string;
  bytes: number;
  createdAt: string;
  downloadUrl: string;
  /** The public verification link of the copy, when the API gives it. */
  verifyUrl?: string | null;
}

const PAGE_SIZE = 20;

function size(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1).replace('.', ',')} MB` : `${Math.max(1, Math.round(bytes / 1024))} KB`;
}

export function MyDocuments() {
  const { t } = useI18n();
  const [page, setPage] = useState(1);
  const [list, setList] = useState<{ total: number; items: CitizenDocument[] } | null>(null);
  const [problem, setProblem] = useState<unknown>(null);
  useEffect(() => {
    api<{ total: number; items: CitizenDocument[] }>('GET', `/api/citizen/documents?page=${page}&pageSize=${PAGE_SIZE}`, { as: 'citizen' })
      .then(setList)
      .catch(setProblem);
  }, [page]);

  function download(d: CitizenDocument) {
    setProblem(null);
    downloadFile(d.downloadUrl, undefined, 'citizen').catch(setProblem);
  }

  const pages = list ? Math.max(1, Math.ceil(list.total / PAGE_SIZE)) : 1;
  return (
    <Page title={t('Giấy tờ của tôi', 'My documents')}>
      <Problem problem={problem} />
      {list && list.items.length === 0 ? (
        <p className="empty">{t('Chưa có bản sao chứng thực nào được trả cho anh/chị.', 'No certified copy has been delivered to you yet.')}</p>
      ) : null}
      {list && list.items.length > 0 ? (
        <table className="grid static" data-testid="documents">
          <thead>
            <tr>
              <th>{t('Giấy tờ', 'Document')}</th>
              <th>{t('Mã hồ sơ', 'Case')}</th>
              <th>{t('Ngày nhận', 'Delivered')}</th>
              <th>{t('Dung lượng', 'Size')}</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {list.items.map((d) => (
              <tr key={d.id}>
                <td>{d.title}</td>
                <td className="mono">{d.caseCode}</td>
                <td>{dateTime(d.createdAt)}</td>
                <td>{size(d.bytes)}</td>
                <td className="actions">
                  <Button kind="secondary" onClick={() => download(d)}>
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
      ) : null}
      <Pager page={page} pages={pages} onPage={setPage} />
      <p className="notice small">
        {t('Kiểm tra một bản sao chứng thực điện tử theo số chứng thực và ngày chứng thực in trên bản sao: ', 'Check a certified copy by the certification number and date printed on it: ')}
        <a href="/verify" target="_blank" rel="noreferrer">
          {t('trang kiểm tra bản sao', 'the verification page')}
        </a>
        .
      </p>
    </Page>
  );
}
