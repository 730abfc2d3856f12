/** The verification page a QR code opens: the answer first, then what the paper should show. */
import { formatLocalDateTime } from '../../domain/calendar';
import { escapeHtml, htmlPage } from '../html';
import type { CopyVerification, SignatureSummary } from './verification';

const BOX = { valid: 'ok', invalid: 'bad', not_certified: 'wait' } as const;

const when = (iso?: string) => (iso ? formatLocalDateTime(Date.parse(iso)) : '—');

function signatureRows(signatures: SignatureSummary[]): string {
  if (signatures.length === 0) return '';
  const role = { leader: 'Chữ ký số của người ký', seal: 'Con dấu số của cơ quan', other: 'Chữ ký số' };
  const rows = signatures
    .map(
      (s) => `<tr><td>${role[s.role]}</td><td>${escapeHtml(s.signer)}${s.title ? `, ${escapeHtml(s.title)}` : ''}${s.organization && s.organization !== s.signer ? ` — ${escapeHtml(s.organization)}` : ''}</td>
<td>${when(s.signingTime)}</td><td>${s.intact && s.trusted ? '✔ hợp lệ' : `✘ ${escapeHtml(s.problems.join('; ') || 'không hợp lệ')}`}</td></tr>`,
    )
    .join('');
  return `<h2>Chữ ký số</h2><table><tr><th>Loại</th><th>Người ký / cơ quan</th><th>Thời điểm ký</th><th>Kết quả</th></tr>${rows}</table>`;
}

export function uploadForm(): string {
  return `<form method="post" action="/api/public/verify/pdf" enctype="application/pdf" onsubmit="return false" id="f">
<label>Kiểm tra một tệp bản sao (PDF): <input type="file" id="pdf" accept="application/pdf"></label>
<button type="button" onclick="(async()=>{const f=document.getElementById('pdf').files[0];if(!f)return;const r=await fetch('/api/public/verify/pdf',{method:'POST',headers:{'Content-Type':'application/pdf'},body:f});const j=await r.json();document.getElementById('out').textContent=(j.message&&j.message.vi)||(j.error&&j.error.message)||JSON.stringify(j);})()">Kiểm tra</button>
<p id="out" role="status"></p></form>
<form method="get" action="/verify"><label>Hoặc tra theo số chứng thực: <input name="number" placeholder="12/2026-SCTĐT/BS" required></label>
<label>Ngày chứng thực: <input name="date" type="date" required></label><button>Tra cứu</button></form>`;
}

export function copyHtml(v: CopyVerification): string {
  const docs = v.documents.map((d) => `<li>${escapeHtml(d.type)} do ${escapeHtml(d.issuer)} cấp — ${d.pages} trang, ${d.copies} bản sao</li>`).join('');
  return `<div class="${BOX[v.status]}"><strong>${escapeHtml(v.message.vi)}</strong><br><small>${escapeHtml(v.message.en)}</small></div>
<table>
<tr><th>Cơ quan chứng thực</th><td>${escapeHtml(v.unit.name)} (${escapeHtml(v.unit.code)})</td></tr>
<tr><th>Mã hồ sơ</th><td>${escapeHtml(v.caseCode)}</td></tr>
${v.certificationNumber ? `<tr><th>Số chứng thực</th><td>${escapeHtml(v.certificationNumber)}</td></tr><tr><th>Thời điểm chứng thực</th><td>${when(v.certifiedAt)}</td></tr>` : ''}
${v.signer ? `<tr><th>Người ký</th><td>${escapeHtml(v.signer.fullName)}, lúc ${when(v.signer.signedAt)}</td></tr>` : ''}
<tr><th>Bản chính</th><td><ul>${docs}</ul></td></tr>
${v.sha256 ? `<tr><th>Mã băm SHA-256 của tệp</th><td><code>${v.sha256}</code></td></tr>` : ''}
</table>${signatureRows(v.signatures)}`;
}

export function verificationPage(content: string): Buffer {
  return htmlPage('Kiểm tra bản sao chứng thực điện tử', `<h1>Kiểm tra bản sao chứng thực điện tử</h1>${content}${uploadForm()}`);
}
