// Byte sizes of what users download, shared by bench/run.mjs and scripts/size-budget.mjs.
// gzip: node:zlib level 9 (GNU `gzip -9` differs by a few bytes: header and its own deflate);
// brotli: node:zlib quality 11, default window. Every file is compressed on its own, as a
// browser downloads it, and a page's total is the sum of its files.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, relative } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

export const gzipBytes = (buffer) => gzipSync(buffer, { level: 9 }).length;
export const brotliBytes = (buffer) =>
  brotliCompressSync(buffer, {
    params: {
      [constants.BROTLI_PARAM_QUALITY]: 11,
      [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
      [constants.BROTLI_PARAM_SIZE_HINT]: buffer.length,
    },
  }).length;

export function measureBuffer(buffer) {
  return { raw: buffer.length, gzip: gzipBytes(buffer), brotli: brotliBytes(buffer) };
}

export function measureFile(root, path) {
  const file = join(root, path);
  if (!existsSync(file)) return { path, missing: true };
  return { path, ...measureBuffer(readFileSync(file)) };
}

export function total(files) {
  const present = files.filter((file) => !file.missing);
  return {
    files: present.length,
    missing: files.filter((file) => file.missing).map((file) => file.path),
    raw: present.reduce((sum, file) => sum + file.raw, 0),
    gzip: present.reduce((sum, file) => sum + file.gzip, 0),
    brotli: present.reduce((sum, file) => sum + file.brotli, 0),
  };
}

/** The script-tag drop-in: the IIFE, plus any stylesheet a page has to load next to it. */
export const SCRIPT_TAG_JS = 'dist/inapp-consent.iife.js';
/**
 * Stylesheets a script-tag page must load besides the JS. The widget adopts its CSS inside its
 * shadow root from a string in the JS (then the CSS is already counted in the JS). Should a
 * build ever emit a separate stylesheet the page has to link, it is listed here; more can be
 * given in INAPP_SCRIPT_TAG_CSS (comma-separated paths relative to the repository).
 */
export const SCRIPT_TAG_CSS = ['dist/inapp-consent.css'];

export function scriptTagFiles(root) {
  const extra = (process.env.INAPP_SCRIPT_TAG_CSS ?? '').split(',').map((path) => path.trim()).filter(Boolean);
  const css = [...SCRIPT_TAG_CSS, ...extra].filter((path, index, all) => all.indexOf(path) === index);
  const jsFile = join(root, SCRIPT_TAG_JS);
  const js = existsSync(jsFile) ? readFileSync(jsFile, 'utf8') : '';
  // Any `.css` file the JS names (a <link> it injects, say) is something the page downloads too.
  const named = [...new Set([...js.matchAll(/["'`]([^"'`\s]*?\.css)["'`]/g)].map((match) => match[1]))];
  const themes = existsSync(join(root, 'themes')) ? readdirSync(join(root, 'themes')).filter((name) => name.endsWith('.css')).map((name) => `themes/${name}`) : [];
  const files = [measureFile(root, SCRIPT_TAG_JS), ...css.map((path) => measureFile(root, path)).filter((file) => !file.missing || extra.includes(file.path))];
  return {
    files,
    total: total(files),
    jsBuilt: js.length > 0,
    // Heuristic for the report: a constructable stylesheet or a <style> built in JS means the CSS is inlined.
    cssInlined: /adoptedStyleSheets|new CSSStyleSheet|replaceSync\(/.test(js),
    cssNamedInJs: named,
    optionalThemes: themes.map((path) => measureFile(root, path)),
  };
}

/** The anchors, as published on npm (pinned dev dependencies), read from node_modules. */
export const ANCHORS = [
  { id: 'vcc', name: 'vanilla-cookieconsent', pkg: 'vanilla-cookieconsent', files: ['dist/cookieconsent.umd.js', 'dist/cookieconsent.css'] },
  { id: 'orejime', name: 'Orejime', pkg: 'orejime', files: ['dist/orejime-standard-en.js', 'dist/orejime-standard.css'] },
];

export function anchorSizes(root) {
  return ANCHORS.map((anchor) => {
    const dir = join(root, 'node_modules', anchor.pkg);
    const version = existsSync(join(dir, 'package.json')) ? JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')).version : undefined;
    const files = anchor.files.map((path) => ({ ...measureFile(dir, path), path: `${anchor.pkg}/${path}` }));
    return { ...anchor, version, files, total: total(files) };
  });
}

async function loadEsbuild(root) {
  const require = createRequire(join(root, 'package.json'));
  return import(require.resolve('esbuild'));
}

/**
 * The headless ESM as a bundler user ships it: `createConsent` from dist/headless.js with its
 * dependencies, bundled and minified by esbuild (`--bundle --minify --format=esm --splitting`).
 * The parts the SDK loads with `import()` (receipts, the bridge and permission flow) become
 * chunks of their own: `gzip` counts the entry and what it imports statically — everything a
 * page loads before `ready` resolves — and `lazy` lists the chunks loaded after it (or on
 * demand), each compressed on its own, as a browser downloads it.
 */
export async function headlessBundle(root) {
  const entry = join(root, 'dist/headless.js');
  if (!existsSync(entry)) return { missing: 'dist/headless.js' };
  const esbuild = await loadEsbuild(root);
  const outdir = join(root, '.size-budget-out');
  const result = await esbuild.build({
    stdin: { contents: `export { createConsent } from ${JSON.stringify(entry)};`, resolveDir: root, loader: 'js', sourcefile: 'headless-entry.js' },
    bundle: true, minify: true, format: 'esm', platform: 'browser', splitting: true, outdir, write: false, metafile: true, logLevel: 'silent',
  });
  const code = new Map(result.outputFiles.map((file) => [relative(root, file.path), Buffer.from(file.contents)]));
  const outputs = result.metafile.outputs;
  const start = Object.keys(outputs).find((path) => outputs[path].entryPoint !== undefined && !outputs[path].entryPoint.startsWith('dist/'));
  // Before `ready`: the entry and every chunk it reaches through static imports.
  const eager = new Set();
  const visit = (path) => {
    if (eager.has(path)) return;
    eager.add(path);
    for (const imported of outputs[path].imports) if (imported.kind === 'import-statement') visit(imported.path);
  };
  visit(start);
  const measure = (path) => ({ path, ...measureBuffer(code.get(path)) });
  const before = [...eager].map(measure);
  const lazy = Object.keys(outputs).filter((path) => !eager.has(path)).map((path) => ({ ...measure(path), name: lazyName(outputs[path]) }));
  const inputs = Object.keys(result.metafile.inputs).map((input) => tidy(root, input));
  const { missing: _none, ...sizes } = total(before); // every file here was just built
  return { ...sizes, files: before, lazy, lazyTotal: total(lazy), inputs, esbuildVersion: esbuild.version };
}

// A lazy chunk is named after the module it starts from (rollup's chunk in dist/chunks).
const lazyName = (output) => (output.entryPoint ?? '').replace(/^dist\/chunks\//, '').replace(/-[\w-]{8}\.js$/, '') || 'shared';

/** Bundles `export <names> from <file>` with its imports (esbuild, minified ESM) and measures it. */
export async function esmBundle(root, path, names, platform) {
  const entry = join(root, path);
  if (!existsSync(entry)) return { missing: path };
  const esbuild = await loadEsbuild(root);
  const result = await esbuild.build({
    stdin: { contents: `export ${names} from ${JSON.stringify(entry)};`, resolveDir: root, loader: 'js' },
    bundle: true, minify: true, format: 'esm', platform, write: false, metafile: true, logLevel: 'silent',
    ...(platform === 'node' ? { external: ['node:*'] } : {}),
  });
  const code = Buffer.from(result.outputFiles[0].contents);
  const inputs = Object.keys(result.metafile.inputs).map((input) => tidy(root, input));
  return { ...measureBuffer(code), inputs, esbuildVersion: esbuild.version };
}

/**
 * What costs the bytes: esbuild bundles a source entry with everything inlined (the script-tag
 * build bundles all dependencies too) and reports each input's share of the minified output.
 * gzip does not split by module, so the gzip column is the module's share of the minified bytes
 * applied to the bundle's real gzip size (an estimate, marked ≈).
 */
export async function sourceBreakdown(root, entryPoint, { format = 'iife', globalName = 'InAppConsent' } = {}) {
  const esbuild = await loadEsbuild(root);
  // ESM splits at `import()` as a bundler does; only what loads before `ready` is broken down.
  const splitting = format === 'esm';
  const result = await esbuild.build({
    entryPoints: [join(root, entryPoint)],
    bundle: true, minify: true, format, globalName, platform: 'browser', target: 'es2020',
    jsx: 'automatic', jsxImportSource: 'preact', tsconfig: join(root, 'tsconfig.json'),
    loader: { '.css': 'text', '.svg': 'text' }, write: false, metafile: true, logLevel: 'silent',
    ...(splitting ? { splitting, outdir: join(root, '.size-budget-out') } : {}),
  });
  const outputs = result.metafile.outputs;
  const eager = new Set();
  const visit = (path) => {
    if (eager.has(path)) return;
    eager.add(path);
    for (const imported of outputs[path].imports) if (imported.kind === 'import-statement') visit(imported.path);
  };
  visit(Object.keys(outputs).find((path) => outputs[path].entryPoint !== undefined && join(root, outputs[path].entryPoint) === join(root, entryPoint)) ?? Object.keys(outputs)[0]);
  const files = result.outputFiles.filter((file) => eager.has(relative(root, file.path)) || !splitting);
  const sizes = total(files.map((file) => measureBuffer(Buffer.from(file.contents))));
  const inputs = {};
  for (const path of eager) for (const [input, { bytesInOutput }] of Object.entries(outputs[path].inputs)) inputs[input] = { bytesInOutput: (inputs[input]?.bytesInOutput ?? 0) + bytesInOutput };
  const output = { inputs };
  const minified = Object.values(output.inputs).reduce((sum, input) => sum + input.bytesInOutput, 0) || 1;
  const modules = Object.entries(output.inputs)
    .map(([path, input]) => ({ path: tidy(root, path), group: groupOf(tidy(root, path)), bytes: input.bytesInOutput }))
    .filter((module) => module.bytes > 0)
    .map((module) => ({ ...module, gzipShare: Math.round((module.bytes / minified) * sizes.gzip) }))
    .sort((a, b) => b.bytes - a.bytes);
  const groups = new Map();
  for (const module of modules) {
    const group = groups.get(module.group) ?? { group: module.group, bytes: 0, gzipShare: 0, modules: 0 };
    group.bytes += module.bytes;
    group.gzipShare += module.gzipShare;
    group.modules += 1;
    groups.set(module.group, group);
  }
  return { entryPoint, raw: sizes.raw, gzip: sizes.gzip, brotli: sizes.brotli, splitting, modules, groups: [...groups.values()].sort((a, b) => b.bytes - a.bytes), esbuildVersion: esbuild.version };
}

function tidy(root, path) {
  const clean = path.replace(/^.*?node_modules\//, 'node_modules/');
  return clean.startsWith('node_modules/') ? clean : relative(root, join(root, clean)) || clean;
}

/** node_modules/<pkg> (scoped packages kept whole), src/<dir>, or the file itself. */
function groupOf(path) {
  const dependency = path.match(/^node_modules\/((?:@[^/]+\/)?[^/]+)/);
  if (dependency) return dependency[1];
  const source = path.match(/^src\/([^/]+)\//);
  return source ? `src/${source[1]}` : path;
}

/** Markdown rows for a breakdown: groups, then the heaviest modules. */
export function breakdownMarkdown(breakdown, { topModules = 25 } = {}) {
  const pct = (bytes) => `${((bytes / breakdown.raw) * 100).toFixed(1)} %`;
  const lines = [
    `esbuild ${breakdown.esbuildVersion} over \`${breakdown.entryPoint}\`, ${breakdown.splitting ? 'split at `import()`, the files loaded before `ready` only' : 'everything bundled'}, minified: ${breakdown.raw.toLocaleString('en-US')} B raw, ${breakdown.gzip.toLocaleString('en-US')} B gzip -9. Per-module gzip is the module's share of the minified bytes applied to the real gzip total (≈).`,
    '',
    '| group | modules | minified B | share | ≈ gzip B |',
    '|---|---:|---:|---:|---:|',
    ...breakdown.groups.map((group) => `| ${group.group} | ${group.modules} | ${group.bytes.toLocaleString('en-US')} | ${pct(group.bytes)} | ${group.gzipShare.toLocaleString('en-US')} |`),
    '',
    `| heaviest modules (top ${Math.min(topModules, breakdown.modules.length)} of ${breakdown.modules.length}) | minified B | share | ≈ gzip B |`,
    '|---|---:|---:|---:|',
    ...breakdown.modules.slice(0, topModules).map((module) => `| ${module.path} | ${module.bytes.toLocaleString('en-US')} | ${pct(module.bytes)} | ${module.gzipShare.toLocaleString('en-US')} |`),
  ];
  return lines.join('\n');
}
