/** Server-rendered pages of the public API (verification): escaping and one shared frame. */
export const escapeHtml = (text: string) =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

export function htmlPage(title: string, body: string, lang: 'vi' | 'en' = 'vi'): Buffer {
  return Buffer.from(`<!doctype html>
<html lang="${lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>
body{font-family:system-ui,"Segoe UI",Roboto,sans-serif;max-width:50rem;margin:1.5rem auto;padding:0 1rem;color:#1b1b1b;line-height:1.45}
header{display:flex;flex-direction:row-reverse;justify-content:space-between;align-items:baseline;gap:1rem} h1{font-size:1.35rem;margin:.2rem 0 1rem} h2{font-size:1.05rem;margin:1.2rem 0 .4rem}
a.lang{font-size:.9rem} .verdict{display:flex;gap:.7rem;align-items:center;padding:.8rem 1rem;border-radius:6px;font-size:1.08rem;margin-bottom:.8rem}
.verdict .icon{font-size:1.5rem;line-height:1} .ok{background:#e7f6ea;border-left:8px solid #1b7f3b;color:#0f4d24} .bad{background:#fdeaea;border-left:8px solid #b3261e;color:#7a1812}
.wait{background:#fff6e0;border-left:8px solid #a56a00;color:#5c3b00} .good{color:#1b7f3b} .wrong{color:#b3261e}
table{border-collapse:collapse;width:100%} td,th{border-bottom:1px solid #ddd;padding:.35rem;text-align:left;vertical-align:top} th{width:14rem;font-weight:600}
code{word-break:break-all} ul{margin:0;padding-left:1.2rem} form.tool{margin:1rem 0;padding:.8rem;border:1px solid #ccc;border-radius:6px} form.tool h2{margin-top:0}
label{display:block;margin:.3rem 0} .file{color:#555;margin:.2rem 0 .6rem} .note{color:#666;font-size:.85rem}
.picker{display:flex;gap:.6rem;align-items:center;margin:.3rem 0 .6rem} label.pick{display:inline-block;margin:0;padding:.25rem .7rem;border:1px solid #0b4a8b;border-radius:4px;color:#0b4a8b;cursor:pointer}
.hidden-file{position:absolute;width:1px;height:1px;opacity:0} .hidden-file:focus+.picked,label.pick:focus-within{outline:2px solid #0b4a8b} .picked{color:#555}
</style></head><body>${body}</body></html>`);
}
