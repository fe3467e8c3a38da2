import { describe, expect, it } from 'vitest';
import { EMPTY_DECISIONS, type ConsentState } from '../../src/core/decision-types.js';
import { reduce } from '../../src/core/decisions.js';
import { preparePolicy } from '../../src/core/policy-prepare.js';
import type { PolicyDocument } from '../../src/core/policy-types.js';
import { buildReceiptPayload } from '../../src/core/receipt.js';
import { receiptHeader, signingInput } from '../../src/core/receipt-jws.js';
import KLTONG from '../../examples/policies/kltong.json';
import KANTARA_SCHEMA from '../fixtures/receipts/kantara-consent-receipt-v1.1.schema.json';
import { validate } from './kantara-schema.js';
import { inputFor, T0, TEST_JWK } from './support.js';

/** Seed kltong has the most purposes in force after 同意: the largest receipts of the five. */
function agreeOnLargestSeed() {
  const document = KLTONG as unknown as PolicyDocument;
  const before: ConsentState = { policy: preparePolicy(document), decisions: EMPTY_DECISIONS };
  const transition = reduce(before, { type: 'agree-basic', surface: 'first_launch' }, T0);
  const record = transition.effects.find((effect) => effect.type === 'record');
  if (record?.type !== 'record') throw new Error('no receipt');
  return { document, payload: buildReceiptPayload(inputFor({ event: record.event, before: before.decisions, state: transition.state })) };
}

describe('receipt size', () => {
  it('CG-07: names the notice texts by id instead of repeating them per purpose (seed kltong: JWS under 16 KB, was ~28 KB)', () => {
    const { document, payload } = agreeOnLargestSeed();
    // The compact JWS: signing input plus a 64-byte signature in base64url.
    const bytes = signingInput(receiptHeader(TEST_JWK), payload).length + 1 + 86;
    expect(bytes).toBeLessThan(16_000);
    expect(validate(KANTARA_SCHEMA, payload)).toEqual([]);
    const purposes = payload.services[0]!.purposes;
    expect(purposes.length).toBeGreaterThan(15);
    // Each retention text appears once, in x.retention; purposes point at rules by id.
    const text = JSON.stringify(payload);
    for (const rule of document.retentionRules) expect(text.split(rule.text).length - 1, rule.id).toBe(1);
    for (const purpose of purposes) expect(purpose.termination).toMatch(/^x\.retention: [a-z0-9_.-]+(, [a-z0-9_.-]+)*$|^as stated in the privacy policy$/);
    // The facts stay: which notice (id, version, sha256), and which data items each purpose uses.
    expect(payload.x.notice).toMatchObject({ id: document.policy.id, version: document.policy.version, sha256: expect.stringMatching(/^[0-9a-f]{64}$/) });
    const first = document.purposes.find((purpose) => purpose.label === purposes[0]!.purpose)!;
    expect(purposes[0]!.piiCategory).toEqual(first.items);
  });
});
