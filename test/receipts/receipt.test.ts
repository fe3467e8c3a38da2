import { readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../../src/core/canonical-json.js';
import { reduce } from '../../src/core/decisions.js';
import { preparePolicy } from '../../src/core/policy-prepare.js';
import { buildReceiptPayload } from '../../src/core/receipt.js';
import { receiptHeader, signingInput } from '../../src/core/receipt-jws.js';
import type { ReceiptPayload } from '../../src/core/receipt-types.js';
import KANTARA_SCHEMA from '../fixtures/receipts/kantara-consent-receipt-v1.1.schema.json';
import { validate } from './kantara-schema.js';
import { decide, inputFor, T0, TEST_JWK } from './support.js';

const GOLDEN = new URL('../fixtures/receipts/agree.golden.json', import.meta.url);
// Everything Kantara v1.1 defines; the rest of a receipt is JWT claims or lives under `x`.
const KANTARA_FIELDS = ['version', 'jurisdiction', 'consentTimestamp', 'collectionMethod', 'consentReceiptID', 'publicKey', 'language',
  'piiPrincipalId', 'piiControllers', 'policyUrl', 'services', 'sensitive', 'spiCat'];

const [agree, marketingOn, faceOn, locationDenied, marketingOff] = decide(
  { type: 'agree-basic', surface: 'first_launch' },
  { type: 'set-purpose', purposeId: 'marketing', granted: true, surface: 'privacy_center' },
  { type: 'set-separate-consent', consentId: 'face_consent', granted: true, surface: 'separate_dialog' },
  { type: 'record-permission', permissionId: 'location', status: 'denied', choice: 'not_now', surface: 'permission_prompt' },
  { type: 'set-purpose', purposeId: 'marketing', granted: false, surface: 'privacy_center' },
);
const [decline] = decide({ type: 'decline-basic', surface: 'first_launch' });
const build = (decision: typeof agree) => buildReceiptPayload(inputFor(decision!));

describe('buildReceiptPayload', () => {
  it('is byte-identical to the golden fixture for a fixed clock, ids and key (header and payload)', () => {
    const payload = build(agree);
    const input = signingInput(receiptHeader(TEST_JWK), payload);
    if (process.env.UPDATE_GOLDEN) writeFileSync(GOLDEN, `${JSON.stringify({ signingInput: input, payload }, null, 2)}\n`);
    const golden = JSON.parse(readFileSync(GOLDEN, 'utf8')) as { signingInput: string; payload: ReceiptPayload };
    expect(payload).toEqual(golden.payload);
    expect(input).toBe(golden.signingInput);
  });

  it('carries the JWT claims, with jti = consentReceiptID and sub = piiPrincipalId (a pseudonym)', () => {
    const payload = build(agree);
    expect(payload).toMatchObject({
      jti: '00000000-0000-4000-8000-000000000001', consentReceiptID: '00000000-0000-4000-8000-000000000001',
      iss: 'com.example.fixture', sub: 'install-5f0c6a1e', piiPrincipalId: 'install-5f0c6a1e',
      iat: Date.UTC(2026, 10, 22, 12) / 1000, consentTimestamp: Date.UTC(2026, 10, 22, 12) / 1000, version: 'KI-CR-v1.1.0',
    });
    const topLevel = Object.keys(payload).filter((key) => !KANTARA_FIELDS.includes(key));
    expect(topLevel.sort()).toEqual(['iat', 'iss', 'jti', 'sub', 'x']);
  });

  it('lists in Kantara services only what is in force, and every decision, refusals included, in x.decisions', () => {
    const agreed = build(agree);
    expect(agreed.services[0]!.purposes.map((purpose) => purpose.purpose)).toEqual(['注册与登录', '实名制管理']);
    expect(agreed.services[0]!.purposes[1]).toMatchObject({ consentType: 'N/A', primaryPurpose: true, termination: 'x.retention: account_life' });
    expect(agreed.x.decisions).toEqual([{ purposeId: 'account', status: 'granted', legalBasis: 'contract', hash: expect.stringMatching(/^[0-9a-f]{64}$/) }]);

    const declined = build(decline);
    expect(declined.services[0]!.purposes).toEqual([]);
    expect(declined.x.decisions).toEqual([{ purposeId: 'account', status: 'refused', legalBasis: 'contract', hash: expect.any(String) }]);
    expect(declined.x.event).toMatchObject({ type: 'refused', state: 'ConsentRefused', kind: 'decline', surface: 'first_launch' });
  });

  it('tells a withdrawal from a first refusal (WD-01), using the decisions before the event', () => {
    expect(build(marketingOn).x.event).toMatchObject({ type: 'given', state: 'ConsentGiven' });
    expect(build(marketingOff).x.event).toMatchObject({ type: 'withdrawn', state: 'ConsentWithdrawn' });
    expect(build(marketingOff).x.decisions).toEqual([{ purposeId: 'marketing', status: 'refused', legalBasis: 'consent', hash: expect.any(String) }]);
  });

  it('records a separate consent with its purpose, and the sensitive categories it covers', () => {
    const payload = build(faceOn);
    expect(payload.x.decisions).toEqual([{ consentId: 'face_consent', purposeId: 'face_verification', status: 'granted', hash: expect.any(String) }]);
    expect(payload.sensitive).toBe(true);
    // The ID number of the notice-only real-name purpose is in force since the agreement.
    expect(payload.spiCat).toEqual(['biometric', 'specific_identity']);
    expect(payload.collectionMethod).toBe('in-app webview: separate-consent dialog');
    expect(build(agree).spiCat).toEqual(['specific_identity']);
    expect(build(decline).sensitive).toBe(false);
  });

  it('records the permission context apart from consent: pre-prompt, choice, OS state before and after', () => {
    const payload = build(locationDenied);
    expect(payload.x.permission).toEqual({ id: 'location', name: 'location', prePrompt: 'shown', choice: 'not_now', osBefore: 'unknown', osAfter: 'denied' });
    expect(payload.x.decisions).toEqual([]);
    expect(payload.x.event).toMatchObject({ type: 'refused', kind: 'permission' });
    expect(payload.collectionMethod).toBe('in-app webview: permission pre-prompt (location)');
  });

  it('binds the notice to the policy hash shown, and says how to withdraw and how long data is kept', () => {
    const payload = build(agree);
    expect(payload.x.notice).toEqual({ id: 'fixture-app', version: '1.0', sha256: agree!.state.policy.hashes.policy, url: 'https://app.example/full-text.html', locale: 'zh-CN' });
    expect(payload.x.withdrawal).toEqual([{ type: 'in_app', route: 'privacy-center' }]);
    expect(payload.x.retention).toEqual([{ id: 'account_life', text: '账号注销后一个月内删除' }]);
    expect(payload.piiControllers).toEqual([{ piiController: '示例科技有限公司', contact: 'privacy@example.com', address: {}, email: 'privacy@example.com', phone: '400-000-0000' }]);
  });

  it('says which signer was used and flags an ephemeral key', () => {
    expect(build(agree).x).not.toHaveProperty('keyEphemeral');
    const payload = buildReceiptPayload(inputFor(agree!, { signer: 'ephemeral' }));
    expect(payload.x.signer).toBe('ephemeral');
    expect(payload.x.keyEphemeral).toBe(true);
  });

  it('serialises canonically: sorted keys, no whitespace, independent of construction order', () => {
    const payload = build(agree);
    const [, body] = signingInput(receiptHeader(TEST_JWK), payload).split('.');
    const text = Buffer.from(body!, 'base64url').toString('utf8');
    expect(text).toBe(canonicalJson(payload));
    expect(text).not.toMatch(/\s"|":\s/);
    const reversed = Object.fromEntries(Object.entries(payload).reverse()) as unknown as ReceiptPayload;
    expect(signingInput(receiptHeader(TEST_JWK), reversed)).toBe(signingInput(receiptHeader(TEST_JWK), payload));
  });
});

describe('the Kantara part', () => {
  const receipts = { agree, decline, marketingOn, faceOn, locationDenied, marketingOff };

  it.each(Object.entries(receipts))('validates against the Kantara v1.1 schema: %s', (_name, decision) => {
    expect(validate(KANTARA_SCHEMA, build(decision))).toEqual([]);
  });

  it('the schema check fails on what Kantara forbids (so the test above can fail)', () => {
    const payload = structuredClone(build(agree)) as unknown as Record<string, unknown>;
    delete payload.jurisdiction;
    const services = payload.services as { purposes: Record<string, unknown>[] }[];
    services[0]!.purposes[0]!.thirdPartyDisclosure = true;
    payload.consentTimestamp = -1;
    const errors = validate(KANTARA_SCHEMA, payload);
    expect(errors).toContain('$.jurisdiction: required');
    expect(errors).toContain('$.consentTimestamp: below 0');
    expect(errors.some((error) => error.includes('oneOf'))).toBe(true);
  });

  it('names a third party when data is disclosed to one', () => {
    const [decision] = decide({ type: 'agree-basic' });
    const policy = decision!.state.policy;
    const recipients = [{ id: 'sms', name: '短信服务商', role: 'entrusted_processor', legalBasis: 'contract' }];
    const purposes = policy.document.purposes.map((purpose) => (purpose.id === 'account' ? { ...purpose, recipients: ['sms'] } : purpose));
    const document = { ...policy.document, recipients, purposes } as typeof policy.document;
    const payload = buildReceiptPayload(inputFor({ ...decision!, state: { ...decision!.state, policy: { ...policy, document } } }));
    expect(payload.services[0]!.purposes[0]).toMatchObject({ thirdPartyDisclosure: true, thirdPartyName: '短信服务商' });
    expect(validate(KANTARA_SCHEMA, payload)).toEqual([]);
  });
});

describe('a notice of a non-material policy change', () => {
  it('CH-01, CH-02: is receipted as an update of the notice in force, with no decision and no renewed consent', () => {
    const [decision] = decide({ type: 'agree-basic' });
    const document = decision!.state.policy.document;
    const next = preparePolicy({ ...document, policy: { ...document.policy, summary: '新的摘要', version: '1.1' } });
    const transition = reduce(decision!.state, { type: 'load-policy', policy: next }, T0 + 86_400_000);
    const record = transition.effects.find((effect) => effect.type === 'record');
    if (record?.type !== 'record') throw new Error('a non-material change must be recorded (CH-01)');
    const payload = buildReceiptPayload(inputFor({ event: record.event, before: decision!.state.decisions, state: transition.state }));
    expect(payload.x.event).toMatchObject({ type: 'updated', state: 'ConsentGiven', kind: 'policy_notice', surface: 'policy_change' });
    expect(payload.x.decisions).toEqual([]);
    expect(payload.x.notice).toMatchObject({ version: '1.1', sha256: next.hashes.policy });
    expect(validate(KANTARA_SCHEMA, payload)).toEqual([]);
  });
});
