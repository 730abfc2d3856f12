/**
 * "USB ký số" on the portal (seed 001, registration way 3 and login way 2): the citizen signs the
 * server's challenge either with the signing tool installed on the computer (the USB token's
 * software, or the project's reference signer for a .p12 file), which shows the request and asks
 * for the PIN itself, or in the page with a .p12/.pfx file and its PIN, which never leave the
 * browser. The parent receives the signed challenge and does what it is for (show the identity,
 * open the session); a refusal at any step is shown here.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import { api, ApiProblem } from '../../../api';
import { Button, Field, TextInput } from '../../../components/ui';
import { useAction } from '../../../components/useAction';
import { date } from '../../../format';
import { useI18n } from '../../../i18n';
import { signerAddress, signerCertificates, signWithTool, SignerProblem, type SignerCertificate } from './localSignerClient';
import { openP12, P12Problem } from './p12Signing';
import '../portal.css';

export interface SignedChallenge {
  challengeId: string;
  signature: string;
}

type Way = 'tool' | 'file';

type ToolState = { state: 'searching' } | { state: 'found'; url: string; certificates: SignerCertificate[] } | { state: 'missing'; problem: unknown };

function CertificateCard({ c, chosen, onChoose }: { c: SignerCertificate; chosen: boolean; onChoose(): void }) {
  const { t } = useI18n();
  return (
    <label className={`certificate-card${chosen ? ' chosen' : ''}`}>
      <input type="radio" name="certificate" checked={chosen} onChange={onChoose} />
      <span>
        <strong>{c.name}</strong>
        {c.idNumber ? <span className="field-hint"> · {t(`Số định danh ${c.idNumber}`, `ID number ${c.idNumber}`)}</span> : null}
        <br />
        <span className="field-hint">{t(`Cấp bởi ${c.issuer} · hiệu lực đến ${date(c.validTo)}`, `Issued by ${c.issuer} · valid until ${date(c.validTo)}`)}</span>
      </span>
    </label>
  );
}

/** What went wrong, in the citizen's language, whichever part refused. */
function SigningProblem({ problem }: { problem: unknown }) {
  const { t } = useI18n();
  if (!problem) return null;
  const text =
    problem instanceof SignerProblem || problem instanceof P12Problem || problem instanceof ApiProblem
      ? t(problem.vi, problem.en)
      : t('Không ký được, vui lòng thử lại.', 'Signing failed; try again.');
  const code = problem instanceof ApiProblem || problem instanceof SignerProblem || problem instanceof P12Problem ? problem.code : undefined;
  return (
    <div className="problem" role="alert" data-code={code}>
      {text}
    </div>
  );
}

export function CertificateSigning(props: { purpose: 'register' | 'login'; action: string; onSigned(signed: SignedChallenge): Promise<void>; notice?: string }) {
  const { t } = useI18n();
  const [way, setWay] = useState<Way>('tool');
  const [tool, setTool] = useState<ToolState>({ state: 'searching' });
  const [chosen, setChosen] = useState('');
  const [file, setFile] = useState<File | null>(null);
  const [pin, setPin] = useState('');
  const [waitingForTool, setWaitingForTool] = useState(false);
  const { busy, problem, setProblem, run } = useAction();
  const fileInput = useRef<HTMLInputElement>(null);

  const search = useCallback(() => {
    setTool({ state: 'searching' });
    setProblem(null);
    signerAddress()
      .then(async (url) => {
        const certificates = await signerCertificates(url);
        setTool({ state: 'found', url, certificates });
        setChosen((current) => (certificates.some((c) => c.id === current) ? current : (certificates[0]?.id ?? '')));
      })
      .catch((e: unknown) => setTool({ state: 'missing', problem: e }));
  }, [setProblem]);
  useEffect(search, [search]);

  function choose(w: Way) {
    setWay(w);
    setProblem(null);
  }

  async function challenge(): Promise<{ challengeId: string; challenge: string }> {
    return api<{ challengeId: string; challenge: string }>('POST', '/api/citizen/certificate/challenge', { body: { purpose: props.purpose }, as: 'public' });
  }

  function signWithTheTool() {
    if (tool.state !== 'found') return;
    void run(async () => {
      const c = await challenge();
      setWaitingForTool(true);
      let signature: string;
      try {
        signature = (await signWithTool(tool.url, chosen, c.challenge)).signature;
      } finally {
        setWaitingForTool(false);
      }
      await props.onSigned({ challengeId: c.challengeId, signature });
    });
  }

  function signWithTheFile() {
    void run(async () => {
      if (!file) throw new P12Problem('NOT_PKCS12');
      const opened = await openP12(new Uint8Array(await file.arrayBuffer()), pin);
      const c = await challenge();
      const signature = await opened.sign(c.challenge);
      setPin('');
      await props.onSigned({ challengeId: c.challengeId, signature });
    });
  }

  return (
    <div className="certificate-signing">
      {props.notice ? <p className="notice">{props.notice}</p> : null}
      <div className="tabs" role="tablist" aria-label={t('Cách ký số', 'How to sign')}>
        <button type="button" role="tab" aria-selected={way === 'tool'} className={way === 'tool' ? 'active' : ''} onClick={() => choose('tool')}>
          {t('Công cụ ký số', 'Signing tool')}
        </button>
        <button type="button" role="tab" aria-selected={way === 'file'} className={way === 'file' ? 'active' : ''} onClick={() => choose('file')}>
          {t('Tệp chứng thư số', 'Certificate file')}
        </button>
      </div>

      {way === 'tool' ? (
        <>
          <p className="field-hint">
            {t(
              'Cắm USB ký số và mở công cụ ký số của nhà cung cấp. Khi anh/chị bấm ký, công cụ sẽ hiện yêu cầu và hỏi mã PIN.',
              'Plug in the USB token and open the provider’s signing tool. When you sign, the tool shows the request and asks for the PIN.',
            )}
          </p>
          {tool.state === 'searching' ? <p className="empty">{t('Đang tìm công cụ ký số…', 'Looking for the signing tool…')}</p> : null}
          {tool.state === 'missing' ? (
            <div className="notice warning" role="status">
              <SigningProblemText problem={tool.problem} />{' '}
              <button type="button" className="link-button" onClick={search}>
                {t('Tìm lại', 'Search again')}
              </button>
            </div>
          ) : null}
          {tool.state === 'found' ? (
            <>
              {tool.certificates.length === 0 ? (
                <p className="notice warning">{t('Công cụ ký số chưa có chứng thư số nào: hãy cắm USB ký số rồi nhấn "Tìm lại".', 'The tool holds no certificate: plug in the USB token, then "Search again".')}</p>
              ) : (
                <fieldset className="certificate-list">
                  <legend>{t('Chọn chứng thư số', 'Choose the certificate')}</legend>
                  {tool.certificates.map((c) => (
                    <CertificateCard key={c.id} c={c} chosen={c.id === chosen} onChoose={() => setChosen(c.id)} />
                  ))}
                </fieldset>
              )}
              {waitingForTool ? (
                <p className="notice" role="status">
                  {t('Hãy xác nhận yêu cầu và nhập mã PIN trên công cụ ký số…', 'Approve the request and type the PIN in the signing tool…')}
                </p>
              ) : null}
              <SigningProblem problem={problem} />
              <div className="form-actions">
                <Button busy={busy} disabled={!chosen} onClick={signWithTheTool} name="sign">
                  {props.action}
                </Button>
                <button type="button" className="link-button" onClick={search}>
                  {t('Tìm lại', 'Search again')}
                </button>
              </div>
            </>
          ) : null}
        </>
      ) : (
        <>
          <div className="field">
            <span className="field-label">
              {t('Tệp chứng thư số (.p12, .pfx)', 'Certificate file (.p12, .pfx)')}
              <span className="required"> *</span>
            </span>
            <span className="file-pick">
              <button type="button" className="btn btn-secondary" onClick={() => fileInput.current?.click()}>
                {t('Chọn tệp…', 'Choose a file…')}
              </button>
              <span className="file-name">{file ? file.name : t('Chưa chọn tệp', 'No file chosen')}</span>
              <input
                ref={fileInput}
                type="file"
                name="p12"
                accept=".p12,.pfx,application/x-pkcs12"
                aria-label={t('Tệp chứng thư số', 'Certificate file')}
                hidden
                onChange={(e) => {
                  setFile(e.target.files?.[0] ?? null);
                  setProblem(null);
                }}
              />
            </span>
          </div>
          <Field label={t('Mã PIN của tệp', 'The file’s PIN')} required>
            <TextInput name="pin" type="password" autoComplete="off" value={pin} onChange={(e) => setPin(e.target.value)} />
          </Field>
          <p className="field-hint">
            {t('Tệp và mã PIN chỉ được dùng ngay trên máy tính này để ký, không gửi đi đâu.', 'The file and the PIN are used on this computer only, to sign; they are sent nowhere.')}
          </p>
          <SigningProblem problem={problem} />
          <Button busy={busy} disabled={!file || pin === ''} onClick={signWithTheFile} name="sign-file">
            {props.action}
          </Button>
        </>
      )}
    </div>
  );
}

function SigningProblemText({ problem }: { problem: unknown }) {
  const { t } = useI18n();
  return <span>{problem instanceof SignerProblem || problem instanceof ApiProblem ? t(problem.vi, problem.en) : t('Không tìm thấy công cụ ký số.', 'No signing tool found.')}</span>;
}
