/**
 * The API's own description: GET /api/docs is the OpenAPI 3.1 document, GET /api/docs/ui a
 * plain page listing every endpoint (self-contained: offices may have no internet access, so no
 * viewer is loaded from elsewhere).
 */
import { escapeHtml } from '../html';
import type { RouteSpec } from '../route';
import { buildOpenApi, type OpenApiDocument, type OpenApiOperation } from './openapi';


const json = (value: unknown) => `<pre>${escapeHtml(JSON.stringify(value, null, 2))}</pre>`;

function operationHtml(method: string, path: string, op: OpenApiOperation): string {
  const params = op.parameters.length
    ? `<table><tr><th>Tham số</th><th>Ở đâu</th><th>Bắt buộc</th><th>Kiểu</th></tr>${op.parameters
        .map(
          (p) =>
            `<tr><td><code>${escapeHtml(p.name)}</code></td><td>${p.in}</td><td>${p.required ? 'có' : 'không'}</td><td><details><summary>schema</summary>${json(p.schema)}</details></td></tr>`,
        )
        .join('')}</table>`
    : '';
  const body = op.requestBody
    ? Object.entries(op.requestBody.content)
        .map(([type, c]) => `<details><summary>Nội dung gửi lên (${escapeHtml(type)})</summary>${json(c.schema)}</details>`)
        .join('')
    : '';
  return `<section class="op" id="${escapeHtml(op.operationId)}">
<h3><span class="m ${method}">${method.toUpperCase()}</span> <code>${escapeHtml(path)}</code></h3>
<p>${escapeHtml(op.summary)}</p>
<p class="access">${escapeHtml(op.description).replace(/\n\n/g, '<br>')}</p>
${params}${body}</section>`;
}

export function docsHtml(doc: OpenApiDocument): string {
  const byTag = new Map<string, string[]>();
  for (const [path, ops] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(ops)) {
      const tag = op.tags[0] ?? 'api';
      byTag.set(tag, [...(byTag.get(tag) ?? []), operationHtml(method, path, op)]);
    }
  }
  const sections = [...byTag].map(([tag, ops]) => `<h2 id="tag-${escapeHtml(tag)}">${escapeHtml(tag)}</h2>${ops.join('\n')}`).join('\n');
  const toc = [...byTag.keys()].map((t) => `<a href="#tag-${escapeHtml(t)}">${escapeHtml(t)}</a>`).join(' · ');
  return `<!doctype html>
<html lang="vi"><head><meta charset="utf-8"><title>${escapeHtml(doc.info.title)}</title>
<style>
body{font-family:system-ui,sans-serif;max-width:70rem;margin:1rem auto;padding:0 1rem;color:#222}
.op{border:1px solid #ddd;border-radius:6px;padding:.5rem 1rem;margin:.75rem 0}
.m{display:inline-block;min-width:4.5rem;text-align:center;border-radius:4px;color:#fff;font-size:.85rem;padding:.1rem .3rem}
.get{background:#2b7bb9}.post{background:#2f9e44}.put{background:#e67700}.patch{background:#9c36b5}.delete{background:#c92a2a}
.access{color:#555;font-size:.9rem}table{border-collapse:collapse;font-size:.9rem}td,th{border:1px solid #eee;padding:.2rem .5rem;text-align:left;vertical-align:top}
pre{background:#f6f8fa;padding:.5rem;overflow:auto;font-size:.8rem}
</style></head><body>
<h1>${escapeHtml(doc.info.title)}</h1>
<p>${escapeHtml(doc.info.description)}</p>
<p>Tài liệu OpenAPI 3.1 dạng JSON: <a href="/api/docs">/api/docs</a>. ${toc}</p>
${sections}
</body></html>`;
}

/** The two documentation routes, describing `routes()` (taken when first asked, so they may describe themselves). */
export function docsRoutes(routes: () => readonly RouteSpec[]): RouteSpec[] {
  let doc: OpenApiDocument | undefined;
  let html: string | undefined;
  const document = () => (doc ??= buildOpenApi(routes()));
  return [
    {
      method: 'get',
      path: '/api/docs',
      access: 'public',
      summary: 'The OpenAPI 3.1 document of this API',
      output: 'application/json: the OpenAPI document',
      handler: () => ({ body: document() }),
    },
    {
      method: 'get',
      path: '/api/docs/ui',
      access: 'public',
      summary: 'A readable page listing every endpoint, built from the OpenAPI document',
      output: 'text/html',
      handler: () => ({
        file: { contentType: 'text/html; charset=utf-8', filename: 'api-docs.html', data: Buffer.from((html ??= docsHtml(document())), 'utf8'), inline: true },
        headers: { 'Content-Security-Policy': "default-src 'none'; style-src 'unsafe-inline'", 'X-Content-Type-Options': 'nosniff' },
      }),
    },
  ];
}
