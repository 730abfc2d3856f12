/** The originals the citizen brought: one row each (type, issuer, pages, copies), its fee beside it. */
import { Button, fieldError, TextInput } from '../../components/ui';
import { vnd } from '../../format';
import { useI18n } from '../../i18n';
import { feeOf, type OriginalRow } from './feePreview';

export const EMPTY_ORIGINAL: OriginalRow = { type: '', issuer: '', pages: '1', copies: '1' };
export const MAX_ORIGINALS = 20;

export function OriginalsEditor(props: { rows: OriginalRow[]; onChange(rows: OriginalRow[]): void; problem: unknown }) {
  const { t } = useI18n();
  const { rows, onChange, problem } = props;
  const fee = feeOf(rows);
  const set = (i: number, patch: Partial<OriginalRow>) => onChange(rows.map((r, j) => (j === i ? { ...r, ...patch } : r)));
  const cell = (i: number, key: keyof OriginalRow, label: string, extra: { inputMode?: 'numeric' } = {}) => {
    const error = fieldError(problem, `documents.${i}.${key}`);
    return (
      <td className={error ? 'has-error' : ''}>
        <TextInput aria-label={`${label} — ${t('bản chính', 'original')} ${i + 1}`} inputMode={extra.inputMode} value={rows[i][key]} onChange={(e) => set(i, { [key]: e.target.value })} />
        {error ? (
          <span className="field-error" role="alert">
            {error}
          </span>
        ) : null}
      </td>
    );
  };
  const listError = fieldError(problem, 'documents');
  return (
    <fieldset className="cs-originals">
      <legend>{t('Bản chính công dân xuất trình', 'Originals presented')}</legend>
      <table className="grid compact">
        <thead>
          <tr>
            <th style={{ width: 28 }}>#</th>
            <th>{t('Loại giấy tờ', 'Document type')}</th>
            <th>{t('Cơ quan cấp', 'Issued by')}</th>
            <th style={{ width: 76 }}>{t('Số trang', 'Pages')}</th>
            <th style={{ width: 76 }}>{t('Số bản sao', 'Copies')}</th>
            <th className="cs-num" style={{ width: 84 }}>
              {t('Lệ phí', 'Fee')}
            </th>
            <th style={{ width: 44 }} />
          </tr>
        </thead>
        <tbody>
          {rows.map((_, i) => (
            <tr key={i}>
              <td>{i + 1}</td>
              {cell(i, 'type', t('Loại giấy tờ', 'Document type'))}
              {cell(i, 'issuer', t('Cơ quan cấp', 'Issued by'))}
              {cell(i, 'pages', t('Số trang', 'Pages'), { inputMode: 'numeric' })}
              {cell(i, 'copies', t('Số bản sao', 'Copies'), { inputMode: 'numeric' })}
              <td className="cs-num">{fee.lines[i] === null ? '—' : vnd(fee.lines[i]!)}</td>
              <td>
                {rows.length > 1 ? (
                  <button type="button" className="link-button" aria-label={`${t('Xóa bản chính', 'Remove original')} ${i + 1}`} onClick={() => onChange(rows.filter((__, j) => j !== i))}>
                    {t('Xóa', 'Remove')}
                  </button>
                ) : null}
              </td>
            </tr>
          ))}
        </tbody>
        <tfoot>
          <tr>
            <td colSpan={3}>
              {rows.length < MAX_ORIGINALS ? (
                <Button kind="secondary" onClick={() => onChange([...rows, { ...EMPTY_ORIGINAL }])}>
                  {t('+ Thêm bản chính', '+ Add an original')}
                </Button>
              ) : null}
            </td>
            <td colSpan={4} className="cs-num cs-fee-total" data-testid="fee-total">
              {t('Tổng lệ phí', 'Total fee')}: <strong>{vnd(fee.totalVnd)}</strong>
            </td>
          </tr>
        </tfoot>
      </table>
      <p className="field-hint">{t('Lệ phí: 2.000 đ/trang cho trang 1–2, 1.000 đ/trang từ trang 3, tối đa 200.000 đ mỗi bản sao.', 'Fee: 2,000 VND per page for pages 1–2, 1,000 VND from page 3, at most 200,000 VND per copy.')}</p>
      {listError ? (
        <span className="field-error" role="alert">
          {listError}
        </span>
      ) : null}
    </fieldset>
  );
}
