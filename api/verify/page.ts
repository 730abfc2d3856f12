/**
 * The public verification page: one verdict at a time — the copy of the QR code or of a number
 * and date, or, once a file is uploaded, that file's verdict in its place — green when valid, red
 * when invalid, tampered with or unknown, amber while the case is in progress. Vietnamese by
 * default, English with ?lang=en (one language at a time); instants as dd/mm/yyyy HH:mm, Hà Nội.
 */
import { formLabel } from '../../domain/signatureBlock';
import { escapeHtml, htmlPage } from '../html';
import { viDateTime, type CopyVerification, type SignatureSummary, type UploadVerification } from './verification';

export type PageLang = 'vi' | 'en';

/** ?lang=en asks for English; anything else is Vietnamese. */
export function pageLang(value: unknown): PageLang {
  return value === 'en' ? 'en' : 'vi';
}

const says = (lang: PageLang) => (vi: string, en: string) => escapeHtml(lang === 'vi' ? vi : en);
const when = (iso?: string) => (iso ? viDateTime(iso) : '—');

type Tone = 'ok' | 'bad' | 'wait';

function verdictBox(tone: Tone, text: string): string {
  const icon = { ok: '✔', bad: '✘', wait: '…' }[tone];
  return `<div class="verdict ${tone}" data-verdict="${tone}" role="status"><span class="icon" aria-hidden="true">${icon}</span><strong>${text}</strong></div>`;
}

function signatureRows(signatures: SignatureSummary[], lang: PageLang): string {
  if (signatures.length === 0) return '';
  const t = says(lang);
  const role = { leader: t('Chữ ký số của người ký', 'Signer’s digital signature'), seal: t('Con dấu số của cơ quan', 'The office’s digital seal'), other: t('Chữ ký số', 'Digital signature') };
  const rows = signatures
    .map((s) => {
      const who = `${escapeHtml(s.signer)}${s.title ? `, ${escapeHtml(s.title)}` : ''}${s.organization && s.organization !== s.signer ? ` — ${escapeHtml(s.organization)}` : ''}`;
      const verdict = s.intact && s.trusted ? `<span class="good">✔ ${t('hợp lệ', 'valid')}</span>` : `<span class="wrong">✘ ${escapeHtml(s.problems.join('; ')) || t('không hợp lệ', 'not valid')}</span>`;
      return `<tr><td>${role[s.role]}</td><td>${who}</td><td>${when(s.signingTime)}</td><td>${verdict}</td></tr>`;
    })
    .join('');
  return `<h2>${t('Chữ ký số', 'Digital signatures')}</h2><table><tr><th>${t('Loại', 'Kind')}</th><th>${t('Người ký / cơ quan', 'Signer / office')}</th><th>${t('Thời điểm ký', 'Signed at')}</th><th>${t('Kết quả', 'Result')}</th></tr>${rows}</table>`;
}

function signerRow(v: CopyVerification, lang: PageLang): string {
  const s = v.signer;
  if (!s) return '';
  const t = says(lang);
  const d = s.delegation;
  const under = d
    ? `<br><span data-testid="delegation">${t(
        `${formLabel(d)}: ký theo ủy quyền của ${d.delegatedBy} (${d.signerTitle})`,
        `${formLabel(d)}: signed on behalf of ${d.delegatedBy} (${d.signerTitle})`,
      )}</span>`
    : '';
  return `<tr><th>${t('Người ký', 'Signed by')}</th><td>${escapeHtml(s.fullName)}, ${t('lúc', 'at')} ${when(s.signedAt)}${under}</td></tr>`;
}

/** The facts of one copy, without a verdict. */
function copyFacts(v: CopyVerification, lang: PageLang): string {
  const t = says(lang);
  const docs = v.documents
    .map((d) => `<li>${t(`${d.type} do ${d.issuer} cấp — ${d.pages} trang, ${d.copies} bản sao`, `${d.type} issued by ${d.issuer} — ${d.pages} page(s), ${d.copies} cop(ies)`)}</li>`)
    .join('');
  return `<table>
<tr><th>${t('Cơ quan chứng thực', 'Certifying office')}</th><td>${escapeHtml(v.unit.name)} (${escapeHtml(v.unit.code)})</td></tr>
<tr><th>${t('Mã hồ sơ', 'Case')}</th><td>${escapeHtml(v.caseCode)}</td></tr>
${v.certificationNumber ? `<tr><th>${t('Số chứng thực', 'Certification number')}</th><td>${escapeHtml(v.certificationNumber)}</td></tr><tr><th>${t('Thời điểm chứng thực', 'Certified at')}</th><td>${when(v.certifiedAt)}</td></tr>` : ''}
${signerRow(v, lang)}
<tr><th>${t('Bản chính', 'Originals')}</th><td><ul>${docs}</ul></td></tr>
${v.sha256 ? `<tr><th>${t('Mã băm SHA-256 của tệp', 'SHA-256 of the file')}</th><td><code>${v.sha256}</code></td></tr>` : ''}
</table>`;
}

const COPY_TONE: Record<CopyVerification['status'], Tone> = { valid: 'ok', invalid: 'bad', not_certified: 'wait' };

/** A copy found by its QR code or its number: its verdict, then its facts and signatures. */
export function copyHtml(v: CopyVerification, lang: PageLang): string {
  return `${verdictBox(COPY_TONE[v.status], says(lang)(v.message.vi, v.message.en))}${copyFacts(v, lang)}${signatureRows(v.signatures, lang)}`;
}

/** An uploaded file: green only when it is byte for byte a valid copy of the register, red otherwise. */
export function uploadHtml(u: UploadVerification, fileName: string, lang: PageLang): string {
  const t = says(lang);
  const named = fileName ? `<p class="file">${t('Tệp đã tải lên', 'Uploaded file')}: <code>${escapeHtml(fileName)}</code></p>` : '';
  const facts = u.copy && u.matchesRegister ? copyFacts(u.copy, lang) : '';
  return `${verdictBox(u.status === 'valid' ? 'ok' : 'bad', t(u.message.vi, u.message.en))}${named}${facts}${signatureRows(u.signatures, lang)}`;
}

/** A request the page cannot answer (a wrong QR token, a bad number or date): red, in the page. */
export function problemHtml(message: { vi: string; en: string }, lang: PageLang): string {
  return verdictBox('bad', says(lang)(message.vi, message.en));
}

function forms(lang: PageLang): string {
  const t = says(lang);
  return `<form id="upload" class="tool">
<h2>${t('Kiểm tra một tệp bản sao', 'Check a copy’s file')}</h2>
<div class="picker"><span>${t('Tệp bản sao (PDF)', 'The copy (PDF)')}:</span>
<label class="pick" for="pdf">${t('Chọn tệp…', 'Choose a file…')}</label><input type="file" id="pdf" accept="application/pdf" class="hidden-file" aria-label="${t('Tệp bản sao (PDF)', 'The copy (PDF)')}">
<span id="picked" class="picked">${t('Chưa chọn tệp', 'No file chosen')}</span></div>
<button type="button" id="check">${t('Kiểm tra tệp', 'Check the file')}</button>
</form>
<form method="get" action="/verify" class="tool">
<h2>${t('Tra cứu theo số chứng thực', 'Look up by certification number')}</h2>
<label>${t('Số chứng thực', 'Certification number')}: <input name="number" placeholder="12/2026-SCTĐT/BS" required></label>
<label>${t('Ngày chứng thực (ngày/tháng/năm)', 'Date of certification (dd/mm/yyyy)')}: <input name="date" placeholder="23/11/2026" inputmode="numeric" required></label>
${lang === 'en' ? '<input type="hidden" name="lang" value="en">' : ''}<button>${t('Tra cứu', 'Look up')}</button></form>`;
}

/**
 * The upload's verdict replaces whatever verdict the page showed: the server renders it
 * (POST /verify/pdf), so both verdicts read the same. An error the router answers in JSON (a file
 * too large) is shown in a red box too.
 */
function uploadScript(lang: PageLang): string {
  const t = (vi: string, en: string) => JSON.stringify(lang === 'vi' ? vi : en);
  return `<script>
(function () {
  var verdict = document.getElementById('verdict');
  function show(html) { verdict.innerHTML = html; verdict.scrollIntoView({ block: 'start' }); }
  function red(text) { var d = document.createElement('div'); d.className = 'verdict bad'; d.setAttribute('data-verdict', 'bad'); d.setAttribute('role', 'status'); var s = document.createElement('strong'); s.textContent = text; d.appendChild(s); verdict.innerHTML = ''; verdict.appendChild(d); }
  // Enter in the form checks nothing by itself; only the button sends the file.
  document.getElementById('upload').addEventListener('submit', function (e) { e.preventDefault(); });
  // The browser's own file button speaks the browser's language; ours speaks the page's.
  document.getElementById('pdf').addEventListener('change', function () {
    var f = this.files[0];
    document.getElementById('picked').textContent = f ? f.name : ${t('Chưa chọn tệp', 'No file chosen')};
  });
  document.getElementById('check').addEventListener('click', async function () {
    var f = document.getElementById('pdf').files[0];
    if (!f) { red(${t('Hãy chọn tệp PDF của bản sao.', 'Choose the PDF file of the copy.')}); return; }
    verdict.innerHTML = '<div class="verdict wait" data-verdict="wait"><strong>' + ${t('Đang kiểm tra tệp…', 'Checking the file…')} + '</strong></div>';
    try {
      var r = await fetch('/verify/pdf?lang=${lang}&name=' + encodeURIComponent(f.name), { method: 'POST', headers: { 'Content-Type': 'application/pdf' }, body: f });
      if ((r.headers.get('content-type') || '').indexOf('text/html') === 0) { show(await r.text()); return; }
      var j = await r.json().catch(function () { return {}; });
      red(j.error ? ${lang === 'vi' ? 'j.error.message' : 'j.error.messageEn'} : ${t('Không kiểm tra được tệp.', 'The file could not be checked.')});
    } catch (e) { red(${t('Không kết nối được với máy chủ, hãy thử lại.', 'Cannot reach the server; try again.')}); }
  });
})();
</script>`;
}

/** The whole page: the language switch, the verdict (if any), the upload and look-up forms. */
export function verificationPage(verdict: string, lang: PageLang, otherLanguageHref: string): Buffer {
  const t = says(lang);
  const title = lang === 'vi' ? 'Kiểm tra bản sao chứng thực điện tử' : 'Verify an electronic certified copy';
  const switcher = `<a class="lang" href="${escapeHtml(otherLanguageHref)}" hreflang="${lang === 'vi' ? 'en' : 'vi'}">${lang === 'vi' ? 'English' : 'Tiếng Việt'}</a>`;
  return htmlPage(
    title,
    `<header>${switcher}<h1>${escapeHtml(title)}</h1></header><section id="verdict" aria-live="polite">${verdict}</section>${forms(lang)}<p class="note">${t(
      'Trang này không hiển thị thông tin cá nhân của người yêu cầu chứng thực.',
      'This page never shows the requester’s personal data.',
    )}</p>${uploadScript(lang)}`,
    lang,
  );
}

/** The same address in the other language. */
export function otherLanguageHref(originalUrl: string, lang: PageLang): string {
  const url = new URL(originalUrl, 'http://page.invalid');
  if (lang === 'vi') url.searchParams.set('lang', 'en');
  else url.searchParams.delete('lang');
  return `${url.pathname}${url.search}`;
}
