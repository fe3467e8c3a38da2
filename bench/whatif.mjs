#!/usr/bin/env node
// What would it save? Rebuilds src/embed.ts (script tag) and src/headless.ts with esbuild —
// everything bundled and minified, as in scripts/size-budget.mjs's breakdown — once as is and
// once per scenario, where a scenario empties some modules (each export becomes a no-op stub, so
// whatever only they import drops out too) or rewrites one. The gzip difference is what that
// change would save, measured rather than apportioned. The stubbed bundles do not work; only
// their size matters. Scenarios name source files, so they follow the code: edit SCENARIOS.
//   node bench/whatif.mjs            markdown table of savings, largest first
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipBytes } from './lib/sizes.mjs';

const root = fileURLToPath(new URL('../', import.meta.url));

/** Each scenario: modules to stub (regexes on the path) and/or text rewrites of one module. */
export const SCENARIOS = [
  {
    name: 'zh-CN only in the script-tag file (en strings in a second build or loaded on demand)',
    // The en strings are their own module now; the rewrite covers the older single strings.ts.
    stub: [/src\/ui\/strings-en\.ts$/],
    rewrite: [{ file: /src\/ui\/strings\.ts$/, from: /const EN: Strings = \{[\s\S]*?\n\};/, to: 'const EN = ZH;', optional: true }],
  },
  {
    name: 'no runtime policy validation (policies checked by `inapp-consent lint` at build time; the runtime trusts them)',
    stub: [/src\/core\/policy-shape\.ts$/, /src\/core\/shape\.ts$/, /src\/core\/policy-validate\.ts$/, /src\/core\/shape-json-schema\.ts$/],
  },
  {
    name: 'receipts + outbox + signing as a second file loaded after the first decision (nothing is sent before one)',
    stub: [/src\/sync\//, /src\/crypto\//, /src\/core\/receipt[^/]*\.ts$/, /src\/core\/outbox[^/]*\.ts$/],
  },
  {
    name: 'native bridge transports as an add-on file (web fallback only in the base file)',
    stub: [/src\/bridge\/(?!web-fallback)/],
  },
  {
    name: 'privacy center + policy summary + lists loaded when first opened',
    stub: [/src\/ui\/privacy-center\.tsx$/, /src\/ui\/policy-summary\.tsx$/, /src\/ui\/lists\.tsx$/, /src\/ui\/policy-index\.ts$/],
  },
  {
    name: 'permission requester + rationale prompt loaded on the first requestPermission()',
    stub: [/src\/permissions\/requester\.ts$/, /src\/ui\/permission-prompt\.tsx$/, /src\/core\/permission-rules\.ts$/],
  },
  {
    name: 'age gate + guardian flow loaded only for policies that declare minors handling',
    stub: [/src\/ui\/age-gate\.tsx$/],
  },
  {
    // createConsent hashes with WebCrypto already; src/core/sha256.ts is the fallback for
    // insecure contexts (file:// webviews), which this would drop.
    name: 'no JS SHA-256 fallback (WebCrypto only: hashing would fail where crypto.subtle is missing)',
    stub: [/src\/core\/sha256\.ts$/],
  },
  {
    name: '@preact/signals-core replaced by the existing emitter (state as a plain store)',
    stub: [/node_modules\/@preact\/signals-core\//],
  },
];

const exportsOf = (source) => {
  const names = new Set();
  for (const match of source.matchAll(/export\s+(?:default\s+)?(?:async\s+)?(?:function\*?|const|let|var|class)\s+([A-Za-z_$][\w$]*)/g)) names.add(match[1]);
  for (const match of source.matchAll(/export\s*\{([^}]*)\}/g)) {
    for (const part of match[1].split(',')) {
      const name = part.trim().replace(/^type\s+/, '').split(/\s+as\s+/).pop()?.trim();
      if (name && !/^type\s/.test(part.trim())) names.add(name);
    }
  }
  return [...names];
};

function plugin(scenario) {
  return {
    name: 'whatif',
    setup(build) {
      build.onLoad({ filter: /\.(tsx?|m?js)$/ }, (args) => {
        const path = args.path.replace(/\\/g, '/');
        if (scenario?.stub?.some((pattern) => pattern.test(path))) {
          const names = exportsOf(readFileSync(args.path, 'utf8'));
          return { contents: `const s = (...a) => a[0];\n${names.map((name) => (name === 'default' ? 'export default s;' : `export const ${name} = s;`)).join('\n')}`, loader: 'js' };
        }
        const rewrite = scenario?.rewrite?.find((entry) => entry.file.test(path));
        if (rewrite) {
          const source = readFileSync(args.path, 'utf8');
          if (!rewrite.from.test(source)) {
            if (rewrite.optional) return undefined;
            throw new Error(`whatif: the rewrite for ${path} no longer matches`);
          }
          return { contents: source.replace(rewrite.from, rewrite.to), loader: path.endsWith('x') ? 'tsx' : path.endsWith('.ts') ? 'ts' : 'js' };
        }
        return undefined;
      });
    },
  };
}

async function size(esbuild, entry, format, scenario) {
  const result = await esbuild.build({
    entryPoints: [join(root, entry)], bundle: true, minify: true, format, globalName: 'InAppConsent', platform: 'browser', target: 'es2020',
    jsx: 'automatic', jsxImportSource: 'preact', tsconfig: join(root, 'tsconfig.json'), loader: { '.css': 'text' },
    write: false, logLevel: 'silent', plugins: [plugin(scenario)],
  });
  return gzipBytes(Buffer.from(result.outputFiles[0].contents));
}

export async function whatIf() {
  const esbuild = await import(createRequire(join(root, 'package.json')).resolve('esbuild'));
  const targets = [['script tag', 'src/embed.ts', 'iife'], ['headless', 'src/headless.ts', 'esm']];
  const base = {};
  for (const [name, entry, format] of targets) base[name] = await size(esbuild, entry, format);
  const rows = [];
  for (const scenario of SCENARIOS) {
    const saved = {};
    for (const [name, entry, format] of targets) {
      try {
        saved[name] = base[name] - (await size(esbuild, entry, format, scenario));
      } catch (error) {
        saved[name] = `error: ${String(error.message ?? error).split('\n')[0]}`;
      }
    }
    rows.push({ name: scenario.name, saved });
  }
  const all = {};
  for (const [name, entry, format] of targets) {
    all[name] = await size(esbuild, entry, format, { stub: SCENARIOS.flatMap((scenario) => scenario.stub ?? []), rewrite: SCENARIOS.flatMap((scenario) => scenario.rewrite ?? []) }).catch(() => NaN);
  }
  rows.sort((a, b) => (Number(b.saved['script tag']) || 0) - (Number(a.saved['script tag']) || 0));
  return { base, rows, all, esbuildVersion: esbuild.version };
}

export function whatIfMarkdown({ base, rows, all, esbuildVersion }) {
  const n = (value) => (typeof value === 'number' ? (Number.isFinite(value) ? value.toLocaleString('en-US') : 'n/a') : value);
  return [
    `esbuild ${esbuildVersion}, minified, gzip -9. Baseline: script tag ${n(base['script tag'])} B, headless ${n(base.headless)} B. "Saved" = baseline − the bundle with that scenario's modules emptied (or rewritten).`,
    '',
    '| scenario | script tag: gzip B saved | headless: gzip B saved |',
    '|---|---:|---:|',
    ...rows.map((row) => `| ${row.name} | ${n(row.saved['script tag'])} | ${n(row.saved.headless)} |`),
    `| **all of the above together** → what is left | ${n(base['script tag'] - all['script tag'])} saved → **${n(all['script tag'])}** | ${n(base.headless - all.headless)} saved → **${n(all.headless)}** |`,
  ].join('\n');
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  console.log(whatIfMarkdown(await whatIf()));
}
