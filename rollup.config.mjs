import json from '@rollup/plugin-json';
import resolve from '@rollup/plugin-node-resolve';
import terser from '@rollup/plugin-terser';
import typescript from '@rollup/plugin-typescript';

// Dependencies stay external in the ESM builds (a host bundler dedupes them); the script-tag
// build bundles everything, since its users have no bundler.
const external = [/^preact(\/|$)/, /^@preact\//, /^idb-keyval$/, /^node:/, /^jose$/];
const ts = () => typescript({ tsconfig: './tsconfig.build.json', declaration: false, declarationMap: false, outDir: 'dist' });
// `module` lets terser drop unused top-level code in ES output; an IIFE must not be treated as a
// module (its top level is a function body, and `module: true` would also imply strict mode).
const minify = (module = true) =>
  terser({
    ecma: 2020,
    module,
    // passes 3: 134 B gzip less than 2 (bench/RESULTS.md); pure_getters, unsafe* and
    // booleans_as_integers were measured too and save less or change what is stored.
    // size: passes 4, inline 1 (simple functions only), no comma sequences and hoisted `var`s
    // together save ~125 B gzip more; none changes what the code does.
    compress: { passes: 4, inline: 1, sequences: false, hoist_vars: true },
    // size: internal `_fields` may be renamed; wire and storage fields never start with `_`.
    mangle: { properties: { regex: /^_[^_]/ } },
    format: { comments: false, ...(module ? {} : { preamble: COMPILE_HINT }) },
  });

// V8's explicit compile hint (Chromium 136+, ignored elsewhere): compile every function eagerly,
// on the script-streaming thread while the file downloads, instead of lazily on the main
// thread at first call, and keep them in the code cache. Nearly every function of the script
// tag runs on a first launch; time to dialog at 4× CPU went from ~980 to ~740 ms in an A/B
// of the same build with and without it (bench/size-steps.md). It must be the file's first line.
const COMPILE_HINT = '//# allFunctionsCalledOnLoad';

export default [
  {
    input: { index: 'src/index.ts', headless: 'src/headless.ts' },
    external,
    output: { dir: 'dist', format: 'es', entryFileNames: '[name].js', chunkFileNames: 'chunks/[name]-[hash].js' },
    plugins: [resolve(), ts()],
  },
  {
    input: 'src/embed.ts',
    // "Everything bundled" (DESIGN.md): the parts the ESM builds `import()` lazily are inlined.
    output: { file: 'dist/inapp-consent.iife.js', format: 'iife', name: 'InAppConsent', inlineDynamicImports: true },
    plugins: [resolve({ browser: true }), ts(), minify(false)],
  },
  {
    // The verifier runs on servers (node:crypto); it never ships to the webview.
    input: 'src/verify/index.ts',
    external,
    output: { file: 'dist/verify.js', format: 'es' },
    plugins: [resolve(), ts()],
  },
  {
    input: 'src/cli/run.ts',
    external,
    output: { file: 'dist/cli.js', format: 'es' },
    plugins: [resolve(), json(), ts()],
  },
];
