/**
 * "Thanh toán nghĩa vụ tài chính về đất đai" (seed 003 Phụ lục 1 step d): the citizen types the
 * Mã hồ sơ and the CCCD/CMND, sees the property and the tax notices as the seed's table shows them
 * (chọn thanh toán, người nộp thuế, số thông báo, nội dung các khoản nộp NSNN, số tiền, tổng tiền),
 * chooses one notice and goes to the payment gateway.
 */
import { useState } from 'react';
import { api, newKey } from '../../api';
import { Button, Field, Page, Problem, TextInput, fieldError } from '../../components/ui';
import { vnd } from '../../format';
import { useI18n } from '../../i18n';
import '../land/land.css';

interface Notice {
  noticeNumber: string;
  taxpayer: string;
  items: Array<{ content: string; amountVnd: number }>;
  totalVnd: number;
  paid: boolean;
  receiptNo?: string;
}

interface Dossier {
  dossierCode: string;
  taxpayer: string;
  property: { address: string; parcel?: string; mapSheet?: string; areaM2?: number; purpose?: string };
  locality: { name: string };
  notices: Notice[];
}

export function LandObligations() {
  const { t } = useI18n();
  const [dossierCode, setDossierCode] = useState('');
  const [idNumber, setIdNumber] = useState('');
  const [dossier, setDossier] = useState<Dossier | null>(null);
  const [chosen, setChosen] = useState<string>('');
  const [problem, setProblem] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  // One key per chosen notice: a click repeated after a lost answer gets the same order.
  const [payKey, setPayKey] = useState(newKey());

  async function lookup() {
    setBusy(true);
    setProblem(null);
    setDossier(null);
    try {
      const d = await api<Dossier>('POST', '/api/citizen/land-obligations/lookup', { as: 'citizen', body: { dossierCode, idNumber } });
      setDossier(d);
      setChosen(d.notices.find((n) => !n.paid)?.noticeNumber ?? '');
    } catch (err) {
      setProblem(err);
    } finally {
      setBusy(false);
    }
  }

  async function pay() {
    setBusy(true);
    setProblem(null);
    try {
      const order = await api<{ payUrl: string }>('POST', '/api/citizen/land-payments', { as: 'citizen', body: { dossierCode, idNumber, noticeNumber: chosen }, idempotencyKey: payKey });
      window.location.assign(order.payUrl);
    } catch (err) {
      setProblem(err);
      setBusy(false);
    }
  }

  const p = dossier?.property;
  return (
    <Page title={t('Thanh toán nghĩa vụ tài chính về đất đai', 'Pay land financial obligations')}>
      <form
        className="land-lookup"
        onSubmit={(e) => {
          e.preventDefault();
          void lookup();
        }}
      >
        <div className="row">
          <Field label={t('Mã hồ sơ', 'Dossier code')} required error={fieldError(problem, 'dossierCode')}>
            <TextInput name="dossierCode" value={dossierCode} onChange={(e) => setDossierCode(e.target.value)} placeholder="H35.15-DD-2026-000123" />
          </Field>
          <Field label={t('Số CMND/CCCD', 'ID number')} required error={fieldError(problem, 'idNumber')}>
            <TextInput name="idNumber" value={idNumber} onChange={(e) => setIdNumber(e.target.value)} inputMode="numeric" />
          </Field>
        </div>
        <Button type="submit" busy={busy && !dossier}>
          {t('Tra cứu', 'Look up')}
        </Button>
        <p className="notice small">
          {t(
            'Mã hồ sơ và số CMND/CCCD của người có nghĩa vụ thuế: liên hệ Bộ phận một cửa hoặc Chi cục Thuế nơi nộp hồ sơ đất đai.',
            'The dossier code and the taxpayer’s ID number: ask the one-stop desk or the tax office where the land dossier was filed.',
          )}
        </p>
      </form>
      <Problem problem={problem} />
      {dossier && p ? (
        <section className="land-result">
          <h2>{t('Thông tin tài sản', 'Property')}</h2>
          <dl className="facts">
            <dt>{t('Mã hồ sơ', 'Dossier code')}</dt>
            <dd className="mono">{dossier.dossierCode}</dd>
            <dt>{t('Người nộp thuế', 'Taxpayer')}</dt>
            <dd>{dossier.taxpayer}</dd>
            <dt>{t('Địa chỉ', 'Address')}</dt>
            <dd>{p.address}</dd>
            {p.parcel ? (
              <>
                <dt>{t('Thửa đất / tờ bản đồ', 'Parcel / map sheet')}</dt>
                <dd>
                  {p.parcel}
                  {p.mapSheet ? ` / ${p.mapSheet}` : ''}
                  {p.areaM2 ? ` — ${p.areaM2.toLocaleString('vi-VN')} m²` : ''}
                </dd>
              </>
            ) : null}
            <dt>{t('Nơi nộp hồ sơ', 'Filed at')}</dt>
            <dd>{dossier.locality.name}</dd>
          </dl>
          <h2>{t('Thông tin nộp nghĩa vụ tài chính', 'Payments due')}</h2>
          <table className="grid static" data-testid="notices">
            <thead>
              <tr>
                <th>{t('Chọn thanh toán', 'Pay')}</th>
                <th>{t('Người nộp thuế', 'Taxpayer')}</th>
                <th>{t('Số thông báo', 'Notice')}</th>
                <th>{t('Nội dung các khoản nộp NSNN', 'Payments to the state budget')}</th>
                <th className="num">{t('Số tiền (VNĐ)', 'Amount (VND)')}</th>
              </tr>
            </thead>
            {dossier.notices.map((n) => (
              <tbody key={n.noticeNumber}>
                {n.items.map((item, i) => (
                  <tr key={i}>
                    <td>
                      {i === 0 ? (
                        n.paid ? (
                          <span className="badge ok">{t('Đã nộp', 'Paid')}</span>
                        ) : (
                          <input
                            type="radio"
                            name="notice"
                            aria-label={n.noticeNumber}
                            checked={chosen === n.noticeNumber}
                            onChange={() => {
                              setChosen(n.noticeNumber);
                              setPayKey(newKey());
                            }}
                          />
                        )
                      ) : null}
                    </td>
                    <td>{i === 0 ? n.taxpayer : ''}</td>
                    <td className="mono">{i === 0 ? n.noticeNumber : ''}</td>
                    <td>{item.content}</td>
                    <td className="num">{vnd(item.amountVnd).replace(' đ', '')}</td>
                  </tr>
                ))}
                <tr className="total">
                  <td colSpan={3} />
                  <td>{t('Tổng tiền', 'Total')}</td>
                  <td className="num">
                    <strong>{vnd(n.totalVnd).replace(' đ', '')}</strong>
                  </td>
                </tr>
              </tbody>
            ))}
          </table>
          {dossier.notices.some((n) => !n.paid) ? (
            <Button onClick={() => void pay()} busy={busy} disabled={!chosen}>
              {t('Thanh toán', 'Pay')}
            </Button>
          ) : (
            <p className="empty">{t('Các khoản của hồ sơ này đã được nộp đủ.', 'Everything of this dossier has been paid.')}</p>
          )}
        </section>
      ) : null}
    </Page>
  );
}
