import { describe, expect, it } from 'vitest';
import { isGranted, needsConsent } from '../../src/core/consent-read.js';
import { reduce } from '../../src/core/decisions.js';
import { preparePolicy } from '../../src/core/policy-prepare.js';
import { parsePolicy, validatePolicy } from '../../src/core/policy-validate.js';
import type { PolicyDocument } from '../../src/core/policy-types.js';
import { fixturePolicy } from '../fixtures/policy.js';
import { apply, initialState, T0, withChangedPurpose } from '../helpers/state.js';
import LAKALA from '../../examples/policies/lakala-pay.json';

/** The fixture with a separate consent (face) tied to its notice-only real-name purpose, as seed lakala-pay does. */
function withNoticeOnlySeparateConsent(): PolicyDocument {
  const document = fixturePolicy();
  const face = document.separateConsents.find((consent) => consent.id === 'face_consent')!;
  return { ...document, separateConsents: [...document.separateConsents, { ...face, id: 'real_name_face', purposeId: 'real_name' }] };
}

describe('isGranted: separate consents tied to notice-only purposes', () => {
  it('SC-01: a notice-only purpose whose processing needs a separate consent does not read as granted without it', () => {
    const agreed = apply(initialState(withNoticeOnlySeparateConsent()), { type: 'agree-basic' });
    expect(isGranted(agreed, 'real_name')).toBe(false);
    const consented = apply(agreed, { type: 'set-separate-consent', consentId: 'real_name_face', granted: true });
    expect(isGranted(consented, 'real_name')).toBe(true);
    // WD-01: withdrawing the separate consent takes the purpose back at once.
    expect(isGranted(apply(consented, { type: 'set-separate-consent', consentId: 'real_name_face', granted: false }), 'real_name')).toBe(false);
  });

  it('SC-01: seed lakala-pay real-name verification (face liveness) needs its separate consent; notice-only purposes without one follow 同意 (FL-01)', () => {
    const agreed = apply(initialState(LAKALA as unknown as PolicyDocument), { type: 'agree-basic' });
    expect(isGranted(agreed, 'real_name_verification')).toBe(false);
    expect(isGranted(agreed, 'aml_id_document')).toBe(true);
    expect(isGranted(apply(agreed, { type: 'set-separate-consent', consentId: 'face_liveness_consent', granted: true }), 'real_name_verification')).toBe(true);
    // Before 同意 nothing is granted, separate consent or not.
    const consentedFirst = apply(initialState(LAKALA as unknown as PolicyDocument), { type: 'set-separate-consent', consentId: 'face_liveness_consent', granted: true });
    expect(isGranted(consentedFirst, 'real_name_verification')).toBe(false);
  });
});

describe('reduce: policy-change agreement is never a first agreement', () => {
  it('FL-01, CH-02: agree-changes while undecided leaves the person undecided and records nothing', () => {
    const state = initialState();
    const { state: next, effects } = reduce(state, { type: 'agree-changes', optionalPurposeIds: ['marketing'] }, T0);
    expect(next.decisions.basic.decision).toBe('undecided');
    expect(effects).toEqual([]);
    expect(isGranted(next, 'account')).toBe(false);
    expect(isGranted(next, 'real_name')).toBe(false);
    expect(needsConsent(next)).toBe(true);
  });

  it('FL-04: agree-changes or decline-changes after 不同意 keeps the refusal and records nothing', () => {
    const declined = apply(initialState(), { type: 'decline-basic' });
    for (const type of ['agree-changes', 'decline-changes'] as const) {
      const { state, effects } = reduce(declined, { type }, T0 + 60_000);
      expect(state.decisions).toBe(declined.decisions);
      expect(effects).toEqual([]);
    }
  });
});

describe('reduce: a non-material policy change (CH-01)', () => {
  const document = fixturePolicy();
  const summaryOnly: PolicyDocument = { ...document, policy: { ...document.policy, summary: '新的摘要', version: '1.1' } };
  const agreed = () => apply(initialState(), { type: 'agree-basic' }, { type: 'set-purpose', purposeId: 'marketing', granted: true });

  it('CH-01: is recorded once as a notice of change, without re-asking or granting anything (CH-02)', () => {
    const before = agreed();
    const { state, effects } = reduce(before, { type: 'load-policy', policy: preparePolicy(summaryOnly) }, T0 + 3_600_000);
    expect(needsConsent(state)).toBe(false);
    expect(isGranted(state, 'marketing')).toBe(true);
    expect(state.decisions.purposes).toBe(before.decisions.purposes);
    expect(state.decisions.basic).toMatchObject({ decision: 'agreed', at: before.decisions.basic.at, policyVersion: '1.1', policyHash: state.policy.hashes.policy });
    expect(effects).toEqual([
      { type: 'persist' },
      { type: 'record', event: { kind: 'policy_notice', surface: 'policy_change', at: T0 + 3_600_000, changes: [], policyId: 'fixture-app', policyVersion: '1.1', policyHash: state.policy.hashes.policy } },
    ]);
    // Loading the same version again (next launch) records nothing more.
    expect(reduce(state, { type: 'load-policy', policy: preparePolicy(summaryOnly) }, T0 + 7_200_000).effects).toEqual([]);
  });

  it('CH-01: a material change is left to the change dialog, and an undecided person gets the first-launch dialog: no notice recorded', () => {
    const material = reduce(agreed(), { type: 'load-policy', policy: preparePolicy(withChangedPurpose(document, 'marketing', '营销2')) }, T0);
    expect(material.effects).toEqual([]);
    expect(reduce(initialState(), { type: 'load-policy', policy: preparePolicy(summaryOnly) }, T0).effects).toEqual([]);
  });

  it('CH-01: once the change dialog was answered, loading that version again records no extra notice', () => {
    const changed = preparePolicy(withChangedPurpose(document, 'marketing', '营销2'));
    for (const type of ['agree-changes', 'decline-changes'] as const) {
      const answered = apply(agreed(), { type: 'load-policy', policy: changed }, { type });
      expect(reduce(answered, { type: 'load-policy', policy: changed }, T0 + 3_600_000).effects).toEqual([]);
    }
  });
});

describe('policy URLs: no protocol-relative addresses', () => {
  const withFullText = (fullTextUrl: string) => ({ ...fixturePolicy(), policy: { ...fixturePolicy().policy, fullTextUrl } });

  it.each(['//evil.example/privacy.html', '/\\evil.example/privacy.html', '\\\\evil.example/p', '\\/evil.example/p'])(
    'FL-02: policy.fullTextUrl "%s" (another host, whatever the page) is rejected, naming the field',
    (fullTextUrl) => {
      const problems = validatePolicy(withFullText(fullTextUrl));
      expect(problems).toEqual([{ path: 'policy.fullTextUrl', message: expect.stringMatching(/protocol-relative/) }]);
      expect(() => parsePolicy(withFullText(fullTextUrl))).toThrow(/policy\.fullTextUrl/);
    },
  );

  it.each(['privacy/full.html', './full.html', '/privacy/full.html', 'https://app.example/privacy.html'])('FL-02: policy.fullTextUrl "%s" is accepted', (fullTextUrl) => {
    expect(validatePolicy(withFullText(fullTextUrl))).toEqual([]);
  });

  it('FL-02, NC-05: rejects protocol-relative URLs where an http(s) URL is expected, naming the field', () => {
    const document = fixturePolicy();
    const problems = validatePolicy({ ...document, relatedDocuments: [{ title: '儿童规则', url: '//evil.example/kids.html' }] });
    expect(problems).toEqual([{ path: 'relatedDocuments[0].url', message: expect.stringMatching(/http\(s\) URL/) }]);
  });
});
