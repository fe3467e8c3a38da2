/**
 * Hardening, issue 8 (what content hashes stand on): canonical JSON and SHA-256 properties.
 *
 * canonicalJson is idempotent through JSON.parse, ignores key order, sorts keys by UTF-16 code
 * units (RFC 8785 §3.2.3), and parses back to the same value; sha256Hex equals node:crypto for
 * any string, lone surrogates included.
 *
 * Lone surrogates, decided: sha256Hex hashes the UTF-8 of its input as TextEncoder makes it,
 * which replaces each lone surrogate with U+FFFD (EF BF BD); node:crypto's 'utf8' does the same,
 * so the two agree on every string. The price is that "\ud800" and "\ufffd" hash alike when
 * hashed raw. Content hashes never hash raw text, though: they hash canonicalJson, and
 * JSON.stringify (ES2019 well-formed stringify) writes a lone surrogate as the escape "\ud800",
 * so policies differing only there get different hashes. Both facts are tested below.
 *
 * Run counts: small defaults keep test/hardening under 30 s on two cores. Raise them with
 * INAPP_CONSENT_FUZZ_RUNS (every property then runs at least that many times):
 *   INAPP_CONSENT_FUZZ_RUNS=20000 npx vitest run test/hardening/canonical-hash.test.ts
 */
import { createHash } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import fc from 'fast-check';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { canonicalJson } from '../../src/core/canonical-json.js';
import { preparePolicy } from '../../src/core/policy-prepare.js';
import { sha256Hex } from '../../src/core/sha256.js';
import { fixturePolicy } from '../fixtures/policy.js';
import { anyText, Counts, FUZZ_TIMEOUT, jsonWithPrototypeKeys, PROTOTYPE_KEYS, runs } from '../helpers/arbitraries.js';

const counts = new Counts('canonical-hash.test.ts');
afterAll(() => counts.print());
vi.setConfig({ testTimeout: FUZZ_TIMEOUT });

// String.prototype.isWellFormed / toWellFormed are ES2024 (Node 20 has them; the lib is ES2022).
const isWellFormed = (text: string) => !/\p{Surrogate}/u.test(text.replace(/[\ud800-\udbff][\udc00-\udfff]/g, ''));
const toWellFormed = (text: string) => text.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd');
const nodeSha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

/** JSON values with every kind of key and string: unicode, lone surrogates, prototype names. */
const json: fc.Arbitrary<unknown> = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constant(null),
    fc.boolean(),
    fc.integer(),
    fc.double({ noNaN: true, noDefaultInfinity: true }),
    anyText(),
    fc.array(tie('value'), { maxLength: 5 }),
    fc.array(fc.tuple(fc.oneof(anyText(6), fc.constantFrom(...PROTOTYPE_KEYS, '', '1', '10', '2', 'a', 'B')), tie('value')), { maxLength: 6 }).map((pairs) => {
      const out: Record<string, unknown> = {};
      for (const [key, value] of pairs) Object.defineProperty(out, key, { value, writable: true, enumerable: true, configurable: true });
      return out;
    }),
  ),
})).value;

/** The same value with every object's keys in another order (a seeded shuffle). */
function reorder(value: unknown, seed: number): unknown {
  if (Array.isArray(value)) return value.map((item, index) => reorder(item, seed + index + 1));
  if (typeof value !== 'object' || value === null) return value;
  const entries = Object.entries(value);
  let state = seed >>> 0 || 1;
  for (let i = entries.length - 1; i > 0; i--) {
    state = (state * 1103515245 + 12345) >>> 0;
    const j = state % (i + 1);
    [entries[i], entries[j]] = [entries[j]!, entries[i]!];
  }
  const out: Record<string, unknown> = {};
  for (const [key, item] of entries) Object.defineProperty(out, key, { value: reorder(item, state + 7), writable: true, enumerable: true, configurable: true });
  return out;
}

/** -0 serialises as 0 in JSON: compare values as JSON would carry them. */
const normalise = (value: unknown): unknown =>
  Object.is(value, -0) ? 0
    : Array.isArray(value) ? value.map(normalise)
      : typeof value === 'object' && value !== null ? Object.fromEntries(Object.entries(value).map(([key, item]) => [key, normalise(item)])) : value;

describe('canonicalJson', () => {
  it('is idempotent through JSON.parse, and parses back to the value it was given', () => {
    fc.assert(
      fc.property(json, (value) => {
        counts.add('canonical JSON round trips');
        const once = canonicalJson(value);
        expect(canonicalJson(JSON.parse(once))).toBe(once);
        expect(JSON.parse(once)).toEqual(normalise(value));
        // Well-formed: ASCII-safe for lone surrogates, no raw one left in the output.
        expect(isWellFormed(once)).toBe(true);
      }),
      { numRuns: runs(1000) },
    );
  });

  it('never depends on key order, so neither does the hash', () => {
    fc.assert(
      fc.property(json, fc.nat(), (value, seed) => {
        counts.add('key orders compared');
        const shuffled = reorder(value, seed);
        expect(canonicalJson(shuffled)).toBe(canonicalJson(value));
        expect(sha256Hex(canonicalJson(shuffled))).toBe(sha256Hex(canonicalJson(value)));
      }),
      { numRuns: runs(1000) },
    );
  });

  it('is equal exactly for equal values (whatever the key order), different otherwise', () => {
    // Half the pairs are the same value reordered, half independent values.
    const pair = fc.tuple(json, json, fc.nat(), fc.boolean()).map(([a, other, seed, same]) => [a, same ? reorder(a, seed) : other] as const);
    fc.assert(
      fc.property(pair, ([a, b]) => {
        counts.add('value pairs compared');
        expect(canonicalJson(a) === canonicalJson(b)).toBe(isDeepStrictEqual(normalise(a), normalise(b)));
      }),
      { numRuns: runs(500) },
    );
  });

  it('treats a member set to undefined as absent (a JS-built policy hashes like its JSON)', () => {
    fc.assert(
      fc.property(json, fc.array(anyText(6), { minLength: 1, maxLength: 4 }), (value, keys) => {
        counts.add('undefined members dropped');
        const holder = { value, ...Object.fromEntries(keys.map((key) => [`${key}?`, undefined])) };
        expect(canonicalJson(holder)).toBe(canonicalJson({ value }));
        expect(canonicalJson([undefined, value])).toBe(canonicalJson([null, value]));
      }),
      { numRuns: runs(300) },
    );
  });

  it('sorts keys by UTF-16 code units, as RFC 8785 §3.2.3 does', () => {
    // The RFC's own example: code-unit order, not code-point order (😀 is D83D DE00 < FB33).
    const value = { '\u20ac': 'Euro Sign', '\r': 'Carriage Return', '\ufb33': 'Hebrew Letter Dalet With Dagesh', '1': 'One', '\ud83d\ude00': 'Emoji: Grinning Face', '\u0080': 'Control', '\u00f6': 'Latin Small Letter O With Diaeresis' };
    expect(canonicalJson(value)).toBe(
      '{"\\r":"Carriage Return","1":"One","\u0080":"Control","\u00f6":"Latin Small Letter O With Diaeresis","\u20ac":"Euro Sign","\ud83d\ude00":"Emoji: Grinning Face","\ufb33":"Hebrew Letter Dalet With Dagesh"}',
    );
    // Integer-like keys are ordered as text too ("10" before "2"), unlike Object.keys.
    expect(canonicalJson({ 2: 'b', 10: 'a', 1: 'c' })).toBe('{"1":"c","10":"a","2":"b"}');
  });

  it('keeps "__proto__" as data and does not pollute any prototype', () => {
    const value = JSON.parse('{"__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}}}') as unknown;
    expect(canonicalJson(value)).toBe('{"__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}}}');
    expect(canonicalJson(JSON.parse(canonicalJson(value)))).toBe(canonicalJson(value));
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe('sha256Hex', () => {
  it('matches node:crypto for arbitrary strings, lone surrogates included', () => {
    fc.assert(
      fc.property(anyText(300), (text) => {
        counts.add('sha256 inputs compared with node:crypto');
        expect(sha256Hex(text)).toBe(nodeSha256(text));
      }),
      { numRuns: runs(1000) },
    );
  });

  it('matches node:crypto at every length around the 64-byte block and length-field boundaries', () => {
    for (let length = 0; length <= 260; length++) {
      for (const unit of ['a', 'é', '中', '😀', '\ud800']) {
        counts.add('sha256 inputs compared with node:crypto');
        const text = unit.repeat(length);
        expect(sha256Hex(text), `${length} × ${JSON.stringify(unit)}`).toBe(nodeSha256(text));
      }
    }
    const big = 'consent'.repeat(150_000); // > 1 MB: the 32-bit length word and beyond
    expect(sha256Hex(big)).toBe(nodeSha256(big));
  });

  it('replaces lone surrogates by U+FFFD, exactly as TextEncoder and node:crypto do', () => {
    for (const lone of ['\ud800', '\udbff', '\udc00', '\udfff', 'a\ud800b', '\udc00\ud800']) {
      const replaced = toWellFormed(lone);
      expect(replaced).toBe(lone.replace(/[\ud800-\udfff]/g, '\ufffd'));
      expect(Buffer.from(new TextEncoder().encode(lone))).toEqual(Buffer.from(lone, 'utf8'));
      expect(sha256Hex(lone)).toBe(sha256Hex(replaced));
      expect(sha256Hex(lone)).toBe(nodeSha256(lone));
    }
  });

  it('yet policy hashes tell a lone surrogate from U+FFFD: canonical JSON escapes it first', () => {
    const withLone = fixturePolicy();
    const withReplacement = fixturePolicy();
    const target = withLone.purposes.find((purpose) => purpose.id === 'marketing')!;
    (target as { label: string }).label = `推送\ud800`;
    (withReplacement.purposes.find((purpose) => purpose.id === 'marketing') as { label: string }).label = `推送\ufffd`;
    expect(canonicalJson(`\ud800`)).toBe('"\\ud800"');
    const a = preparePolicy(withLone).hashes;
    const b = preparePolicy(withReplacement).hashes;
    expect(a.policy).not.toBe(b.policy);
    expect(a.purposes.marketing).not.toBe(b.purposes.marketing);
    expect(a.purposes.account).toBe(b.purposes.account);
  });
});

describe('content hashes of arbitrary JSON', () => {
  it('are 64 lowercase hex digits and equal for equal content', () => {
    fc.assert(
      fc.property(jsonWithPrototypeKeys, (value) => {
        counts.add('content hashes');
        const hash = sha256Hex(canonicalJson(value));
        expect(hash).toMatch(/^[0-9a-f]{64}$/);
        expect(sha256Hex(canonicalJson(structuredClone(value)))).toBe(hash);
      }),
      { numRuns: runs(500) },
    );
  });
});
