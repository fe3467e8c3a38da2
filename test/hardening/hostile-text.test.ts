/**
 * Hardening, issue 8 item 2 (the parts that stand on the core): hostile text in policies.
 *
 * HTML, script, event-handler, `javascript:` and other payloads in every free-text field of
 * every seed still validate as text, untouched (the validator neither rejects nor rewrites
 * them); their hashes are stable and distinct; ids, enums, dates and language tags refuse them;
 * every URL field refuses script, data and other non-http(s) URLs, in the validator and in the
 * published JSON Schema alike. Rendering them as text in Chromium is the widget's part of item 2.
 *
 * Run counts: this file is exhaustive over a fixed payload list (HOSTILE_TEXT, HOSTILE_URLS in
 * test/helpers/arbitraries.ts) plus one fast-check property; INAPP_CONSENT_FUZZ_RUNS raises the
 * property's runs (every property then runs at least that many times):
 *   INAPP_CONSENT_FUZZ_RUNS=5000 npx vitest run test/hardening/hostile-text.test.ts
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { isGranted } from '../../src/core/consent-read.js';
import { EMPTY_DECISIONS } from '../../src/core/decision-types.js';
import { reduce } from '../../src/core/decisions.js';
import { ConsentError } from '../../src/core/errors.js';
import { lintPolicy } from '../../src/core/policy-lint.js';
import { preparePolicy } from '../../src/core/policy-prepare.js';
import type { PolicyDocument } from '../../src/core/policy-types.js';
import { parsePolicy, validatePolicy } from '../../src/core/policy-validate.js';
import { createConsent } from '../../src/host/create-consent.js';
import { fixturePolicy } from '../fixtures/policy.js';
import {
  allPaths, anyText, cloneDocument, Counts, formatPath, FUZZ_TIMEOUT, getAt, HOSTILE_TEXT, HOSTILE_URLS, isFreeText, isIdShape, runs,
  SEEDS, setAt, shapeAt, type Segment,
} from '../helpers/arbitraries.js';

const counts = new Counts('hostile-text.test.ts');
afterAll(() => counts.print());
vi.setConfig({ testTimeout: FUZZ_TIMEOUT });

/** Replaces every leaf that `pick` selects with `value(path)`; returns the paths replaced. */
function replaceLeaves(document: unknown, pick: (path: Segment[]) => boolean, value: (path: Segment[], index: number) => unknown): Segment[][] {
  const paths = allPaths(document).filter((path) => path.length > 0 && typeof getAt(document, path) !== 'object' && pick(path));
  paths.forEach((path, index) => setAt(document, path, value(path, index)));
  return paths;
}

const freeText = (path: Segment[]) => isFreeText(shapeAt(path));
const ID = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;

describe.each(SEEDS.map((seed) => [seed.name, seed] as const))('hostile text in seed %s', (_name, seed) => {
  const hashesByPayload = new Map<string, string>();

  it.each(HOSTILE_TEXT.map((payload, index) => [index, payload] as const))('payload %i in every free-text field validates as text, untouched', (_index, payload) => {
    const document = cloneDocument(seed.document);
    const paths = replaceLeaves(document, freeText, () => payload);
    expect(paths.length).toBeGreaterThan(50);
    counts.add('payload placements (payload × free-text field)', paths.length);
    const before = structuredClone(document);
    expect(validatePolicy(document)).toEqual([]);
    expect(parsePolicy(document)).toBe(document);
    // Not rewritten, escaped or trimmed: every field holds exactly the payload.
    expect(document).toEqual(before);
    for (const path of paths) expect(getAt(document, path)).toBe(payload);
    expect(() => lintPolicy(document)).not.toThrow();

    // Stable: the document and a key-reversed copy of it hash the same.
    const prepared = preparePolicy(document);
    const reversed = JSON.parse(JSON.stringify(document, (_key, value: unknown) =>
      typeof value === 'object' && value !== null && !Array.isArray(value) ? Object.fromEntries(Object.entries(value).reverse()) : value)) as PolicyDocument;
    expect(preparePolicy(reversed).hashes).toEqual(prepared.hashes);
    hashesByPayload.set(payload, prepared.hashes.policy);
  });

  it('distinct payloads give distinct policy hashes, all different from the seed\'s', () => {
    expect(hashesByPayload.size).toBe(HOSTILE_TEXT.length);
    const all = [...hashesByPayload.values(), preparePolicy(seed.document).hashes.policy];
    expect(new Set(all).size).toBe(all.length);
  });

  it('a payload in one purpose\'s text moves that purpose\'s hash only', () => {
    const base = preparePolicy(seed.document).hashes;
    seed.document.purposes.forEach((purpose, p) => {
      const payload = HOSTILE_TEXT[p % HOSTILE_TEXT.length]!;
      const document = cloneDocument(seed.document);
      setAt(document, ['purposes', p, 'label'], payload);
      expect(validatePolicy(document)).toEqual([]);
      const hashes = preparePolicy(document).hashes;
      counts.add('single-purpose payloads hashed');
      for (const [id, hash] of Object.entries(base.purposes)) expect(hashes.purposes[id] === hash, id).toBe(id !== purpose.id);
      expect(hashes.separateConsents).toEqual(base.separateConsents);
      expect(hashes.policy).not.toBe(base.policy);
    });
  });

  it('ids, enums, dates and language tags refuse every payload, each at its own path', () => {
    const constrained = (path: Segment[]) => {
      const shape = shapeAt(path);
      const inner = shape?.kind === 'nullable' ? shape.of : shape;
      return inner?.kind === 'enum' || (inner?.kind === 'string' && inner.pattern !== undefined && !isUrlPath(path));
    };
    for (const payload of HOSTILE_TEXT) {
      const document = cloneDocument(seed.document);
      const paths = replaceLeaves(document, constrained, () => payload);
      const problemPaths = new Set(validatePolicy(document).map((problem) => problem.path));
      counts.add('payloads refused by constrained fields', paths.length);
      // "constructor" is a well-formed id (the reducer tests show it behaves like any other).
      const wellFormedId = ID.test(payload);
      for (const path of paths) {
        if (wellFormedId && isIdShape(shapeAt(path))) continue;
        expect(problemPaths.has(formatPath(path)), `${formatPath(path)} accepted ${JSON.stringify(payload)}`).toBe(true);
      }
      expect(paths.some((path) => isIdShape(shapeAt(path)))).toBe(true);
    }
  });
});

// ---------------------------------------------------------------------------------------------
// URLs

const URL_FIELDS: readonly { path: Segment[]; relative: boolean }[] = [
  { path: ['policy', 'fullTextUrl'], relative: true },
  { path: ['sdks', 0, 'privacyPolicyUrl'], relative: false },
  { path: ['relatedDocuments', 0, 'url'], relative: false },
  { path: ['minors', 'childrenRulesUrl'], relative: false },
];
function isUrlPath(path: readonly Segment[]): boolean {
  const last = path[path.length - 1];
  return last === 'fullTextUrl' || last === 'privacyPolicyUrl' || last === 'url' || last === 'childrenRulesUrl';
}

/** A seed with every URL field present (an SDK and a related document added where missing). */
function withUrlFields(document: PolicyDocument): Record<string, any> {
  const copy = cloneDocument(document) as unknown as Record<string, any>;
  if (copy.sdks.length === 0) copy.sdks.push({ id: 'hostile_sdk', name: '测试SDK', purpose: '测试' });
  copy.relatedDocuments = [{ title: '儿童隐私政策', url: 'https://example.com/children' }];
  expect(validatePolicy(copy)).toEqual([]);
  return copy;
}

const SAFE_URLS = ['https://example.com/privacy', 'http://example.com/p?a=1&b=2#top', 'https://例子.公司/隐私政策', 'https://example.com/%E9%9A%90%E7%A7%81'];
const SAFE_RELATIVE = ['full-text.html', 'docs/privacy.html', '/privacy.html', './privacy.html', '../legal/privacy.html', 'privacy.html?v=2#top'];

/** The patterns the published JSON Schema gives each URL field. */
const SCHEMA = JSON.parse(readFileSync(fileURLToPath(new URL('../../schema/policy.schema.json', import.meta.url)), 'utf8')) as Record<string, any>;
const SCHEMA_PATTERNS: Record<string, string> = {
  'policy.fullTextUrl': SCHEMA.properties.policy.properties.fullTextUrl.pattern,
  'sdks[0].privacyPolicyUrl': SCHEMA.properties.sdks.items.properties.privacyPolicyUrl.pattern,
  'relatedDocuments[0].url': SCHEMA.properties.relatedDocuments.items.properties.url.pattern,
  'minors.childrenRulesUrl': SCHEMA.properties.minors.properties.childrenRulesUrl.pattern,
};

describe.each(SEEDS.map((seed) => [seed.name, seed] as const))('URL fields of seed %s', (_name, seed) => {
  it.each(URL_FIELDS.map((field) => [formatPath(field.path), field] as const))('%s refuses javascript:, data: and every other non-http(s) URL', (where, field) => {
    const pattern = new RegExp(SCHEMA_PATTERNS[where]!, 'u');
    for (const url of HOSTILE_URLS) {
      const document = withUrlFields(seed.document);
      setAt(document, field.path, url);
      counts.add('hostile URLs tried');
      expect(validatePolicy(document).map((problem) => problem.path), `${where} = ${JSON.stringify(url)}`).toContain(where);
      expect(() => parsePolicy(document)).toThrow(ConsentError);
      // Tools in other languages read the published schema: it must refuse them too.
      expect(pattern.test(url), `schema pattern accepts ${JSON.stringify(url)}`).toBe(false);
    }
    for (const url of [...SAFE_URLS, ...(field.relative ? SAFE_RELATIVE : [])]) {
      const document = withUrlFields(seed.document);
      setAt(document, field.path, url);
      expect(validatePolicy(document), `${where} = ${JSON.stringify(url)}`).toEqual([]);
      expect(pattern.test(url)).toBe(true);
    }
  });
});

describe('random text never passes for a script URL', () => {
  it('any string with a scheme other than http(s) is refused by every URL field', () => {
    const document = withUrlFields(fixturePolicy());
    const scheme = fc.stringMatching(/^[A-Za-z][A-Za-z0-9+.-]{0,10}$/).filter((name) => !/^https?$/.test(name));
    fc.assert(
      fc.property(scheme, anyText(20), fc.constantFrom('', ' ', '\t', '\u0000', '\n'), (name, rest, lead) => {
        counts.add('random-scheme URLs tried');
        const url = `${lead}${name}:${rest}`;
        for (const field of URL_FIELDS) {
          setAt(document, field.path, url);
          expect(validatePolicy(document).map((problem) => problem.path)).toContain(formatPath(field.path));
          setAt(document, field.path, 'https://example.com/');
        }
      }),
      { numRuns: runs(300) },
    );
  });
});

// ---------------------------------------------------------------------------------------------
// Hostile text through the API: it is data, never a key into anything.

describe('hostile text as ids and host options', () => {
  const prepared = preparePolicy(fixturePolicy());

  it('ids made of payloads are granted nothing and refused as actions', () => {
    let state = reduce({ policy: prepared, decisions: EMPTY_DECISIONS }, { type: 'agree-basic' }, 1).state;
    for (const payload of HOSTILE_TEXT) {
      counts.add('hostile ids tried');
      expect(isGranted(state, payload)).toBe(false);
      for (const action of [
        { type: 'set-purpose', purposeId: payload, granted: true },
        { type: 'set-separate-consent', consentId: payload, granted: true },
        { type: 'record-permission', permissionId: payload, status: 'granted' },
      ] as const) {
        expect(() => (state = reduce(state, action, 2).state)).toThrow(expect.objectContaining({ code: 'invalid-action' }));
      }
    }
  });

  it('createConsent refuses script and data endpoints and odd locales, and keeps a hostile subject as plain text', async () => {
    for (const endpoint of ['javascript:alert(1)', 'data:text/html,<script>alert(1)</script>', 'vbscript:x', ' https://example.com', 'https://example.com/ x']) {
      counts.add('hostile host options tried');
      expect(() => createConsent({ policy: fixturePolicy(), endpoint, storage: 'memory' })).toThrow(expect.objectContaining({ code: 'invalid-options' }));
    }
    for (const locale of ['<script>', 'zh-CN<img src=x onerror=alert(1)>', 'javascript:alert(1)']) {
      counts.add('hostile host options tried');
      expect(() => createConsent({ policy: fixturePolicy(), locale, storage: 'memory' })).toThrow(expect.objectContaining({ code: 'invalid-options' }));
    }
    for (const subject of HOSTILE_TEXT) {
      counts.add('hostile host options tried');
      const consent = createConsent({ policy: fixturePolicy(), subject, storage: 'memory' });
      await consent.ready;
      expect(consent.state.value.subject).toBe(subject);
      consent.destroy();
    }
  });
});
