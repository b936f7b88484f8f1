/** The OpenAPI 3.1 document as far as the docs page reads it. */
interface Schema {
  $ref?: string;
  type?: string | string[];
  format?: string;
  enum?: unknown[];
  default?: unknown;
  description?: string;
  [key: string]: unknown;
}
interface Parameter {
  name: string;
  in: string;
  required?: boolean;
  description?: string;
  schema?: Schema;
}
interface Operation {
  tags?: string[];
  summary?: string;
  description?: string;
  security?: unknown[];
  parameters?: Parameter[];
  requestBody?: { content?: Record<string, { schema?: Schema }> };
  responses?: Record<string, { description?: string; content?: Record<string, { schema?: Schema }> }>;
}
export interface DocsInput {
  info: { title: string; version: string; description?: string };
  tags?: { name: string; description?: string }[];
  paths?: Record<string, object>;
  components?: { schemas?: Record<string, unknown> };
}

const methods = ['get', 'post', 'put', 'patch', 'delete'] as const;

const esc = (text: unknown) => String(text).replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
const anchor = (text: string) => text.replace(/[^A-Za-z0-9]+/g, '-').replace(/^-|-$/g, '');

/** Pretty JSON with `$ref`s turned into links to the schema section. */
const code = (value: unknown) => {
  const linked = esc(JSON.stringify(value, null, 2)).replace(
    /&#34;#\/components\/schemas\/(\w+)&#34;/g,
    '<a href="#schema-$1">$1</a>',
  );
  return `<pre>${linked}</pre>`;
};

/** A schema that is only a reference is a link; anything else is shown in full. */
const schemaBlock = (schema: Schema | undefined) =>
  schema?.$ref && Object.keys(schema).length === 1
    ? ` → <a href="#schema-${esc(schema.$ref.split('/').pop())}">${esc(schema.$ref.split('/').pop())}</a>`
    : schema
      ? code(schema)
      : '';

function typeOf(schema: Schema | undefined): string {
  if (!schema) return '';
  if (schema.$ref) return schema.$ref.split('/').pop()!;
  const base = [schema.type, schema.format].flat().filter(Boolean).join(' · ');
  const extra = [
    schema.enum ? `${schema.enum.map(String).join(' | ')}` : '',
    schema.default !== undefined ? `default ${JSON.stringify(schema.default)}` : '',
  ];
  return [base, ...extra].filter(Boolean).join('; ');
}

function parameters(list: Parameter[] | undefined): string {
  if (!list?.length) return '';
  const rows = list.map(
    (p) =>
      `<tr><td><code>${esc(p.name)}</code></td><td>${esc(p.in)}</td><td>${esc(typeOf(p.schema))}</td>` +
      `<td>${p.required ? 'sì · yes' : 'no'}</td><td>${esc(p.description ?? p.schema?.description ?? '')}</td></tr>`,
  );
  return (
    '<h4>Parametri · Parameters</h4><table><thead><tr><th>Nome · Name</th><th>In</th><th>Tipo · Type</th>' +
    '<th>Obbligatorio · Required</th><th>Descrizione · Description</th></tr></thead>' +
    `<tbody>${rows.join('')}</tbody></table>`
  );
}

function operation(method: string, path: string, op: Operation): string {
  const body = Object.entries(op.requestBody?.content ?? {});
  const responses = Object.entries(op.responses ?? {}).map(([status, r]) => {
    const content = Object.entries(r.content ?? {})
      .map(([type, c]) => ` <span class="media">${esc(type)}</span>${schemaBlock(c.schema)}`)
      .join('');
    return `<dt>${esc(status)}</dt><dd>${esc(r.description ?? '')}${content}</dd>`;
  });
  const open = op.security?.length === 0 ? ' <span class="public">pubblico · public</span>' : '';
  const bodies = body.map(
    ([type, c]) =>
      `<h4>Corpo della richiesta · Request body <span class="media">${esc(type)}</span></h4>${schemaBlock(c.schema)}`,
  );
  return `<article class="op" id="${anchor(`${method}-${path}`)}">
<h3><span class="method ${method}">${method.toUpperCase()}</span> <code>${esc(path)}</code>${open}</h3>
${op.summary ? `<p class="summary">${esc(op.summary)}</p>` : ''}${op.description ? `<p>${esc(op.description)}</p>` : ''}
${parameters(op.parameters)}
${bodies.join('')}
<h4>Risposte · Responses</h4><dl>${responses.join('')}</dl>
</article>`;
}

const style = `
body{font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1b1f24;margin:0 auto;max-width:72rem;\
padding:1.5rem}
h1{margin:0}h2{border-bottom:2px solid #d0d7de;padding-bottom:.3rem;margin-top:2.5rem}h3{margin:0 0 .4rem;\
font-size:1.05rem}h4{margin:1rem 0 .3rem;font-size:.9rem;text-transform:uppercase;letter-spacing:.03em;color:#57606a}
nav ul{columns:2;padding-left:1.2rem}nav li{break-inside:avoid}a{color:#0a58ca}
.op{border:1px solid #d0d7de;border-radius:6px;padding:1rem;margin:1rem 0}.summary{font-weight:600;margin:.2rem 0}
.method{display:inline-block;min-width:4.2em;text-align:center;border-radius:4px;color:#fff;font-size:.8rem;\
padding:.1rem .4rem;font-family:ui-monospace,monospace}
.get{background:#1f6feb}.post{background:#1a7f37}.delete{background:#cf222e}.put,.patch{background:#9a6700}\
.public{font-size:.75rem;color:#57606a;border:1px solid #d0d7de;border-radius:1em;padding:0 .5em}
table{border-collapse:collapse;width:100%;font-size:.9rem}th,td{border:1px solid #d0d7de;padding:.3rem .5rem;\
text-align:left;vertical-align:top}th{background:#f6f8fa}
pre{background:#f6f8fa;border-radius:4px;padding:.6rem;overflow:auto;font-size:.8rem;max-height:28rem}\
dt{font-weight:700;font-family:ui-monospace,monospace}dd{margin:0 0 .6rem 1.2rem}.media{font-size:.8rem;color:#57606a}
@media print{body{max-width:none;padding:0;font-size:11pt}nav{display:none}.op{break-inside:avoid;border-color:#999}\
pre{max-height:none;white-space:pre-wrap;word-break:break-word}a{color:inherit;text-decoration:none}.method{color:#000;\
border:1px solid #000;background:none}h2{break-after:avoid}}`;

/** A self-contained HTML page (no scripts, nothing fetched) rendered from the OpenAPI document, grouped by tag. */
export function renderDocs(doc: DocsInput): string {
  const operations = Object.entries(doc.paths ?? {}).flatMap(([path, item]) =>
    methods.flatMap((method) => {
      const op = (item as Partial<Record<(typeof methods)[number], Operation>>)[method];
      return op ? [{ method, path, op }] : [];
    }),
  );
  const groups = (doc.tags ?? [])
    .map((tag) => ({ tag, ops: operations.filter((o) => (o.op.tags?.[0] ?? '') === tag.name) }))
    .filter((g) => g.ops.length);
  const nav = groups.map(({ tag, ops }) => {
    const links = ops.map(
      (o) => `<li><a href="#${anchor(`${o.method}-${o.path}`)}">${o.method.toUpperCase()} ${esc(o.path)}</a></li>`,
    );
    const title = esc(tag.description ?? tag.name);
    return `<li><a href="#tag-${anchor(tag.name)}">${title}</a><ul>${links.join('')}</ul></li>`;
  });
  const sections = groups.map(({ tag, ops }) => {
    const articles = ops.map((o) => operation(o.method, o.path, o.op));
    const title = esc(tag.description ?? tag.name);
    return `<section id="tag-${anchor(tag.name)}"><h2>${title}</h2>${articles.join('\n')}</section>`;
  });
  const schemas = Object.entries(doc.components?.schemas ?? {}).map(
    ([name, schema]) => `<h3 id="schema-${esc(name)}">${esc(name)}</h3>${code(schema)}`,
  );
  return `<!doctype html>
<html lang="it"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">\
<title>${esc(doc.info.title)}</title><style>${style}</style></head>
<body><header><h1>${esc(doc.info.title)} <small>${esc(doc.info.version)}</small></h1>\
<p>${esc(doc.info.description ?? '')}</p>
<p><strong>Autenticazione · Authentication</strong>: <code>Authorization: Bearer sct_…</code>\
 — <a href="/openapi.json">openapi.json</a></p></header>
<nav><h2>Indice · Contents</h2><ul>${nav.join('')}<li><a href="#schemas">Schemi · Schemas</a></li></ul></nav>
<main>${sections.join('\n')}<section id="schemas"><h2>Schemi · Schemas</h2>${schemas.join('\n')}</section></main>\
</body></html>`;
}
