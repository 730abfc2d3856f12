/** Server-rendered pages of the public API (verification): escaping and one shared frame. */
export const escapeHtml = (text: string) =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

export function htmlPage(title: string, body: string): Buffer {
  return Buffer.from(`<!doctype html>
<html lang="vi"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>
body{font-family:system-ui,"Segoe UI",Roboto,sans-serif;max-width:46rem;margin:1.5rem auto;padding:0 1rem;color:#1b1b1b;line-height:1.45}
h1{font-size:1.35rem} .ok{background:#e7f6ea;border-left:6px solid #1b7f3b;padding:.7rem 1rem} .bad{background:#fdeaea;border-left:6px solid #b3261e;padding:.7rem 1rem}
.wait{background:#fff6e0;border-left:6px solid #a56a00;padding:.7rem 1rem} table{border-collapse:collapse;width:100%} td,th{border-bottom:1px solid #ddd;padding:.35rem;text-align:left;vertical-align:top}
code{word-break:break-all} form{margin:1rem 0;padding:.8rem;border:1px solid #ccc;border-radius:6px} label{display:block;margin:.3rem 0}
</style></head><body>${body}</body></html>`);
}
