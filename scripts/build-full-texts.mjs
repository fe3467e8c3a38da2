// Turns each seed privacy policy (plain text, some of it Markdown-ish) into
// examples/apps/<slug>/full-text.html: the page `policy.fullTextUrl` points at (FL-02).
//
//   node scripts/build-full-texts.mjs [--seeds DIR] [--check]
//
// Every character of the seed stays in the page as text, escaped (nothing from a seed is ever
// markup); whitespace is tidied. Markdown markers (#, -, **) are kept too, in hidden spans, so
// the page's text is the seed's. The script checks that itself: it fails when the non-space
// characters of a page's <article> differ from the seed's. `--check` rewrites nothing and fails
// when a page is out of date. Pages use one stylesheet file and no inline style or script, so
// they work under CSP `default-src 'self'`. Plain Node, built-ins only.
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const { values } = parseArgs({ options: { seeds: { type: 'string', default: resolve(ROOT, '../shared/seeds') }, check: { type: 'boolean', default: false } } });

/** Seed file prefix → app folder (and policy document) name. */
const SLUGS = { '000': 'lakala-pay', '001': 'lianlian-pay', '002': 'kltong', '003': 'e-yueche', '004': 'leliao-card' };

const ESCAPES = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
const escape = (text) => String(text).replace(/[&<>"']/g, (char) => ESCAPES[char]);
const tidy = (text) => text.replace(/\s+/g, ' ').trim();

const CN_NUM = '[一二三四五六七八九十百]+';
const PATTERNS = {
  h2: new RegExp(`^(${CN_NUM}、|第${CN_NUM}[条章])`),
  h3: new RegExp(`^(（${CN_NUM}）|\\(${CN_NUM}\\))`),
  h4: /^\d+(?:\.\d+)*(?:\s*[、.．]\s*|\s+)[^\d\s]/,
};
const numbered = (line) => Object.values(PATTERNS).some((pattern) => pattern.test(line)) || /^[（(]\d+[）)]/.test(line);
const ENDS_SENTENCE = /[。；;！!？?，,：:]$/;
/** A wrapped line continues its paragraph unless the line before it ended one. */
const ENDS_PARAGRAPH = /[。；;！!？?：:]$/;
const isShort = (line, max = 36) => [...line].length <= max && !ENDS_SENTENCE.test(line);

/** `**bold**` as <strong>, markers kept in hidden spans; an unpaired marker is just hidden. */
function inline(text) {
  const parts = text.split('**');
  const pairs = Math.floor((parts.length - 1) / 2) * 2; // markers that have a partner
  let html = '';
  let open = false;
  parts.forEach((part, index) => {
    if (index > 0) {
      const marker = '<span class="md">**</span>';
      if (index <= pairs) {
        html += open ? `${marker}</strong>` : `<strong>${marker}`;
        open = !open;
      } else html += marker;
    }
    html += escape(part);
  });
  return open ? `${html}</strong>` : html;
}

/** Blank-line separated blocks; within one, a line indented deeper than the block's first line continues it. */
function blocks(text) {
  const result = [];
  let current = [];
  const indent = (line) => line.match(/^[ \t\u3000]*/)[0].replace(/\u3000/g, '  ').length;
  for (const raw of text.replace(/\r\n?/g, '\n').split('\n')) {
    if (raw.trim() === '') {
      if (current.length) result.push(current);
      current = [];
      continue;
    }
    const line = { raw, text: tidy(raw), indent: indent(raw) };
    const previous = current.at(-1);
    if (previous && line.indent > current[0].indent && current[0].indent === 0 && !ENDS_PARAGRAPH.test(previous.text) && !numbered(line.text)) {
      // CJK wraps join without a space; Latin words and numbers keep one.
      const space = /[A-Za-z0-9]$/.test(previous.text) && /^[A-Za-z0-9]/.test(line.text) ? ' ' : '';
      previous.text += space + line.text;
    } else current.push(line);
  }
  if (current.length) result.push(current);
  return result;
}

/** The seed as HTML: headings, paragraphs, lists, and table rows as groups of cells. */
function render(text) {
  const out = [];
  const toc = [];
  let headings = 0;
  let inBody = false; // title lines are taken only before the first section heading
  const heading = (level, html, plain, extra = '') => {
    const id = `s${++headings}`;
    if (level <= 3) toc.push({ id, level, text: plain });
    out.push(`<h${level} id="${id}"${extra}>${html}</h${level}>`);
  };
  for (const block of blocks(text)) {
    const lines = block.map((line) => line.text);
    // Markdown "- " items: a list.
    if (lines.every((line) => /^[-*+] /.test(line))) {
      const items = lines.map((line) => `<li><span class="md">${escape(line.slice(0, 2))}</span>${inline(line.slice(2))}</li>`);
      out.push(`<ul class="list">\n${items.join('\n')}\n</ul>`);
      continue;
    }
    // Several tab-indented lines, or short cells with no sentence or label in them: a table row.
    const cells = lines.length >= 2 && !lines.some((line) => /^#{1,6} /.test(line)) &&
      (block.every((line) => /^\t/.test(line.raw)) || lines.every((line) => isShort(line, 40) && !/[：:]/.test(line) && !numbered(line)));
    if (cells) {
      out.push(`<ul class="row">\n${lines.map((line) => `<li>${inline(line)}</li>`).join('\n')}\n</ul>`);
      continue;
    }
    // A run of three or more short numbered lines is a contents list, not a row of headings.
    const runs = [];
    for (let i = 0; i < lines.length; ) {
      let j = i;
      while (j < lines.length && numbered(lines[j]) && isShort(lines[j], 40)) j++;
      if (j - i >= 3) {
        runs.push({ list: lines.slice(i, j) });
        i = j;
      } else runs.push({ line: lines[i++] });
    }
    for (const run of runs) {
      if (run.list) {
        out.push(`<ul class="list plain">\n${run.list.map((line) => `<li>${inline(line)}</li>`).join('\n')}\n</ul>`);
        continue;
      }
      const line = run.line;
      const md = line.match(/^(#{1,6}) (.*)$/);
      if (md) {
        const plain = md[2].replaceAll('**', '').trim();
        heading(Math.min(Math.max(md[1].length, 2), 6), `<span class="md">${md[1]} </span>${inline(md[2])}`, plain);
        inBody ||= headings > 1;
        continue;
      }
      const marker = line.match(/^[-*+] /)?.[0];
      if (marker) {
        out.push(`<ul class="list"><li><span class="md">${escape(marker)}</span>${inline(line.slice(marker.length))}</li></ul>`);
        continue;
      }
      if (!inBody && isShort(line, 30) && /(政策|声明)$/.test(line)) {
        heading(2, inline(line), line, ' class="doc-title"');
        continue;
      }
      const level = isShort(line) && (PATTERNS.h2.test(line) ? 2 : PATTERNS.h3.test(line) ? 3 : PATTERNS.h4.test(line) ? 4 : 0);
      if (level) heading(level, inline(line), line.replaceAll('**', ''));
      else out.push(`<p>${inline(line)}</p>`);
      inBody ||= level > 0;
    }
  }
  return { body: out.join('\n'), toc };
}

const textOf = (html) =>
  html
    .replace(/<[^>]*>/g, '')
    .replace(/&(amp|lt|gt|quot|#39);/g, (entity) => ({ '&amp;': '&', '&lt;': '<', '&gt;': '>', '&quot;': '"', '&#39;': "'" })[entity]);
const squeeze = (text) => text.replace(/\s+/g, '');

function page(seedName, seed, policy) {
  const { body, toc } = render(seed);
  const meta = policy?.policy ?? {};
  const title = meta.title ?? seedName;
  const dates = [
    meta.version && meta.version !== meta.updatedAt ? `版本 ${meta.version}` : '',
    meta.updatedAt ? `更新日期 ${meta.updatedAt}` : '',
    meta.effectiveAt ? `生效日期 ${meta.effectiveAt}` : '',
  ].filter(Boolean);
  const contents = toc
    .map((entry) => `<li class="toc-${entry.level}"><a href="#${entry.id}">${escape(entry.text)}</a></li>`)
    .join('\n');
  return `<!doctype html>
<!-- Generated by scripts/build-full-texts.mjs from seeds/${escape(seedName)}. Do not edit; run the script. -->
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1, viewport-fit=cover">
<meta name="color-scheme" content="light dark">
<title>${escape(title)} · 全文</title>
<link rel="stylesheet" href="../shared/full-text.css">
</head>
<body>
<header class="bar">
<a class="back" href="index.html">‹ 返回应用</a>
<h1>${escape(title)}</h1>
${dates.length ? `<p class="meta">${escape(dates.join(' · '))}</p>` : ''}
</header>
${contents ? `<nav class="toc" aria-label="目录">\n<details>\n<summary>目录</summary>\n<ol>\n${contents}\n</ol>\n</details>\n</nav>\n` : ''}<main>
<article id="policy-text">
${body}
</article>
</main>
<footer class="source">本页为政策原文的完整转录（seeds/${escape(seedName)}），仅调整了排版。</footer>
</body>
</html>
`;
}

const seedFiles = existsSync(values.seeds) ? readdirSync(values.seeds).filter((name) => name.endsWith('.txt')).sort() : [];
if (seedFiles.length === 0) {
  // The seeds live beside the repository (../shared/seeds), not in it: a clone without them
  // can still check that nothing else broke.
  console[values.check ? 'log' : 'error'](`build-full-texts: no seed files in ${values.seeds} (pass --seeds DIR)${values.check ? '; check skipped' : ''}`);
  process.exit(values.check ? 0 : 1);
}
let failed = false;
for (const name of seedFiles) {
  const slug = SLUGS[name.slice(0, 3)];
  if (!slug) {
    console.warn(`build-full-texts: skipping ${name}: no app is mapped to it`);
    continue;
  }
  const seed = readFileSync(join(values.seeds, name), 'utf8');
  const policyFile = join(ROOT, 'examples/policies', `${slug}.json`);
  const policy = existsSync(policyFile) ? JSON.parse(readFileSync(policyFile, 'utf8')) : undefined;
  const html = page(name, seed, policy);
  const article = html.slice(html.indexOf('<article'), html.indexOf('</article>'));
  const lost = squeeze(textOf(article.slice(article.indexOf('>') + 1))) !== squeeze(seed);
  if (lost) {
    console.error(`build-full-texts: ${slug}: the page text differs from ${name} (a character was lost or changed)`);
    failed = true;
    continue;
  }
  const target = join(ROOT, 'examples/apps', slug, 'full-text.html');
  const current = existsSync(target) ? readFileSync(target, 'utf8') : undefined;
  if (values.check) {
    if (current !== html) {
      console.error(`build-full-texts: ${target} is out of date; run node scripts/build-full-texts.mjs`);
      failed = true;
    } else console.log(`up to date: examples/apps/${slug}/full-text.html`);
    continue;
  }
  if (!existsSync(dirname(target))) {
    console.error(`build-full-texts: ${dirname(target)} does not exist`);
    failed = true;
    continue;
  }
  if (current !== html) writeFileSync(target, html);
  console.log(`${current === html ? 'unchanged' : 'wrote'} examples/apps/${slug}/full-text.html (${name}, ${[...seed].length} characters)`);
}
process.exit(failed ? 1 : 0);
