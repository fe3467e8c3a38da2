import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../../src/core/canonical-json.js';
import { preparePolicy } from '../../src/core/policy-prepare.js';
import { sha256Hex } from '../../src/core/sha256.js';
import { fixturePolicy } from '../fixtures/policy.js';

describe('sha256Hex', () => {
  it('matches node:crypto for empty, ASCII, Chinese and block-boundary inputs', () => {
    const inputs = ['', 'abc', '拉卡拉支付服务隐私政策', 'a'.repeat(55), 'a'.repeat(56), 'a'.repeat(64), 'a'.repeat(119), '😀'.repeat(300)];
    for (const input of inputs) expect(sha256Hex(input), input.slice(0, 10)).toBe(createHash('sha256').update(input, 'utf8').digest('hex'));
  });
});

describe('canonicalJson', () => {
  it('sorts keys at every depth, drops undefined members and keeps array order', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { z: 1, y: 2 }], c: undefined }, '中': '文' })).toBe('{"a":{"d":[3,{"y":2,"z":1}]},"b":1,"中":"文"}');
  });

  it('rejects numbers JSON cannot represent', () => {
    expect(() => canonicalJson({ a: Number.NaN })).toThrow(/non-finite/);
  });
});

describe('preparePolicy', () => {
  it('gives the same hashes whatever the key order of the document', () => {
    const document = fixturePolicy();
    const shuffled = Object.fromEntries(Object.entries(document).reverse()) as typeof document;
    expect(preparePolicy(shuffled).hashes).toEqual(preparePolicy(document).hashes);
  });

  it('ignores source notes (audit metadata) in the policy hash', () => {
    const document = fixturePolicy();
    const noted = { ...document, sourceNotes: [{ severity: 'warn' as const, text: 'note' }] };
    expect(preparePolicy(noted).hashes.policy).toBe(preparePolicy(document).hashes.policy);
  });

  it('changes only the hash of the purpose whose text changed', () => {
    const document = fixturePolicy();
    const before = preparePolicy(document).hashes;
    const after = preparePolicy({ ...document, purposes: document.purposes.map((p) => (p.id === 'marketing' ? { ...p, method: '短信' } : p)) }).hashes;
    const changed = Object.keys(before.purposes).filter((id) => before.purposes[id] !== after.purposes[id]);
    expect(changed).toEqual(['marketing']);
    expect(after.policy).not.toBe(before.policy);
    expect(after.separateConsents).toEqual(before.separateConsents);
  });

  it('is stable: a golden hash pins the canonical form', () => {
    expect(sha256Hex(canonicalJson({ purpose: { id: 'x', label: '营销' }, items: [], recipients: [], retention: [] }))).toBe(
      createHash('sha256').update('{"items":[],"purpose":{"id":"x","label":"营销"},"recipients":[],"retention":[]}').digest('hex'),
    );
  });
});
