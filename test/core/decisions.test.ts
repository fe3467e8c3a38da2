import { describe, expect, it } from 'vitest';
import { isGranted, needsConsent, pendingChanges } from '../../src/core/consent-read.js';
import { reduce } from '../../src/core/decisions.js';
import { ConsentError } from '../../src/core/errors.js';
import { preparePolicy } from '../../src/core/policy-prepare.js';
import { fixturePolicy } from '../fixtures/policy.js';
import { apply, initialState, T0, withChangedPurpose } from '../helpers/state.js';

const CONSENT_BASED = ['account', 'marketing', 'nearby_recommendation', 'face_verification', 'face_consent', 'location_consent'];

describe('reduce: first launch', () => {
  it('FL-01: grants nothing and needs consent before any tap', () => {
    const state = initialState();
    expect(needsConsent(state)).toBe(true);
    for (const id of [...CONSENT_BASED, 'real_name']) expect(isGranted(state, id), id).toBe(false);
  });

  it('FL-03: dismissing the dialog changes nothing and records nothing', () => {
    const state = initialState();
    const { state: next, effects } = reduce(state, { type: 'dismiss' }, T0);
    expect(next).toBe(state);
    expect(effects).toEqual([]);
    expect(needsConsent(next)).toBe(true);
  });

  it('FL-05: 同意 grants the basic bundle and notice-only purposes, and leaves every optional purpose off', () => {
    const state = apply(initialState(), { type: 'agree-basic', surface: 'first_launch' });
    expect(isGranted(state, 'account')).toBe(true);
    expect(isGranted(state, 'real_name')).toBe(true);
    expect(isGranted(state, 'marketing')).toBe(false);
    expect(isGranted(state, 'nearby_recommendation')).toBe(false);
    expect(needsConsent(state)).toBe(false);
  });

  it('CG-03: 同意 never grants a separate consent', () => {
    const state = apply(initialState(), { type: 'agree-basic' });
    expect(isGranted(state, 'face_consent')).toBe(false);
    expect(isGranted(state, 'face_verification')).toBe(false);
  });

  it('FL-04: 不同意 records a refusal, leads to limited mode and is not asked again at every launch', () => {
    const { state, effects } = reduce(initialState(), { type: 'decline-basic', surface: 'first_launch' }, T0);
    expect(state.decisions.basic.decision).toBe('declined');
    expect(isGranted(state, 'account')).toBe(false);
    expect(needsConsent(state)).toBe(false);
    const record = effects.find((effect) => effect.type === 'record');
    expect(record).toMatchObject({ event: { kind: 'decline', surface: 'first_launch', changes: [{ id: 'account', granted: false }] } });
  });

  it('records every decision with the policy hash it was made on (CG-07)', () => {
    const state = initialState();
    const { effects } = reduce(state, { type: 'agree-basic' }, T0);
    expect(effects[0]).toEqual({ type: 'persist' });
    expect(effects[1]).toMatchObject({
      type: 'record',
      event: { kind: 'agree', at: T0, policyId: 'fixture-app', policyVersion: '1.0', policyHash: state.policy.hashes.policy },
    });
  });
});

describe('reduce: optional purposes and separate consents', () => {
  it('CG-01: an optional purpose is on only after it is switched on', () => {
    const state = apply(initialState(), { type: 'agree-basic' }, { type: 'set-purpose', purposeId: 'marketing', granted: true });
    expect(isGranted(state, 'marketing')).toBe(true);
  });

  it('SC-01: an optional purpose tied to a separate consent needs that consent too', () => {
    const switched = apply(initialState(), { type: 'agree-basic' }, { type: 'set-purpose', purposeId: 'nearby_recommendation', granted: true });
    expect(isGranted(switched, 'nearby_recommendation')).toBe(false);
    const consented = apply(switched, { type: 'set-separate-consent', consentId: 'location_consent', granted: true });
    expect(isGranted(consented, 'nearby_recommendation')).toBe(true);
  });

  it('SC-01: a separate-mode purpose is granted by its separate consent alone', () => {
    const state = apply(initialState(), { type: 'agree-basic' }, { type: 'set-separate-consent', consentId: 'face_consent', granted: true });
    expect(isGranted(state, 'face_verification')).toBe(true);
  });

  it('WD-01: withdrawal takes effect in the state it returns', () => {
    const granted = apply(initialState(), { type: 'agree-basic' }, { type: 'set-purpose', purposeId: 'marketing', granted: true });
    const { state, effects } = reduce(granted, { type: 'set-purpose', purposeId: 'marketing', granted: false, surface: 'privacy_center' }, T0 + 1);
    expect(isGranted(state, 'marketing')).toBe(false);
    expect(effects).toContainEqual({ type: 'persist' });
  });

  it('CG-02: withdrawing one purpose leaves every other decision unchanged', () => {
    const granted = apply(initialState(), { type: 'agree-basic' }, { type: 'set-purpose', purposeId: 'marketing', granted: true }, { type: 'set-separate-consent', consentId: 'face_consent', granted: true });
    const withdrawn = apply(granted, { type: 'set-purpose', purposeId: 'marketing', granted: false });
    for (const id of ['account', 'real_name', 'face_verification', 'face_consent']) expect(isGranted(withdrawn, id), id).toBe(isGranted(granted, id));
  });

  it('refuses to switch a purpose that rests on a legal obligation, naming it', () => {
    const state = apply(initialState(), { type: 'agree-basic' });
    expect(() => reduce(state, { type: 'set-purpose', purposeId: 'real_name', granted: false }, T0)).toThrow(/real_name.*legal_obligation/);
  });

  it('throws invalid-action for ids the policy does not declare', () => {
    const state = initialState();
    const attempts = [
      { type: 'set-purpose', purposeId: 'nope', granted: true },
      { type: 'set-separate-consent', consentId: 'nope', granted: true },
      { type: 'record-permission', permissionId: 'nope', status: 'granted' },
    ] as const;
    for (const action of attempts) {
      expect(() => reduce(state, action, T0)).toThrow(ConsentError);
      try { reduce(state, action, T0); } catch (error) { expect((error as ConsentError).code).toBe('invalid-action'); }
    }
  });
});

describe('reduce: permissions', () => {
  it('PP-05: a refusal stores when it happened, for the cooldown', () => {
    const state = apply(initialState(), { type: 'record-permission', permissionId: 'location', status: 'denied', choice: 'not_now' });
    expect(state.decisions.permissions.location).toEqual({ status: 'denied', at: T0, refusedAt: T0 });
  });

  it('PP-04: refusing a permission leaves every purpose as it was', () => {
    const agreed = apply(initialState(), { type: 'agree-basic' });
    const refused = apply(agreed, { type: 'record-permission', permissionId: 'location', status: 'blocked' });
    for (const id of ['account', 'real_name']) expect(isGranted(refused, id)).toBe(true);
  });

  it('keeps the last refusal time when the permission is later granted', () => {
    const state = apply(initialState(), { type: 'record-permission', permissionId: 'location', status: 'denied' }, { type: 'record-permission', permissionId: 'location', status: 'granted' });
    expect(state.decisions.permissions.location).toMatchObject({ status: 'granted', refusedAt: T0 });
  });
});

describe('reduce: policy changes', () => {
  const agreedWithMarketing = () => apply(initialState(), { type: 'agree-basic' }, { type: 'set-purpose', purposeId: 'marketing', granted: true });
  const load = (state: ReturnType<typeof initialState>, document = fixturePolicy()) => apply(state, { type: 'load-policy', policy: preparePolicy(document) });

  it('CG-05: loading the same policy again keeps every decision unchanged', () => {
    const state = agreedWithMarketing();
    const reloaded = load(state);
    expect(reloaded.decisions).toEqual(state.decisions);
    expect(needsConsent(reloaded)).toBe(false);
    expect(isGranted(reloaded, 'marketing')).toBe(true);
  });

  it('CG-04: a materially changed optional purpose is off and is the only thing re-asked', () => {
    const changed = load(agreedWithMarketing(), withChangedPurpose(fixturePolicy(), 'marketing', '个性化推送及短信营销'));
    expect(isGranted(changed, 'marketing')).toBe(false);
    expect(isGranted(changed, 'account')).toBe(true);
    expect(pendingChanges(changed)).toEqual({ purposes: ['marketing'], separateConsents: [] });
    expect(needsConsent(changed)).toBe(true);
  });

  it('CH-01: a changed basic purpose is re-asked alone; agreeing re-grants it and changed optional ones stay off unless named', () => {
    const base = agreedWithMarketing();
    const changed = fixturePolicy();
    const next = withChangedPurpose(withChangedPurpose(changed, 'account', '注册、登录与账号安全'), 'marketing', '营销2');
    const loaded = load(base, next);
    expect(pendingChanges(loaded).purposes).toEqual(['account', 'marketing']);
    const agreed = apply(loaded, { type: 'agree-changes' });
    expect(isGranted(agreed, 'account')).toBe(true);
    expect(isGranted(agreed, 'marketing')).toBe(false);
    expect(needsConsent(agreed)).toBe(false);
    const withMarketing = apply(loaded, { type: 'agree-changes', optionalPurposeIds: ['marketing'] });
    expect(isGranted(withMarketing, 'marketing')).toBe(true);
  });

  it('CH-01: declining a change records the changed purposes as refused and stops asking', () => {
    const loaded = load(agreedWithMarketing(), withChangedPurpose(fixturePolicy(), 'account', '新的账号用途'));
    const declined = apply(loaded, { type: 'decline-changes' });
    expect(isGranted(declined, 'account')).toBe(false);
    expect(needsConsent(declined)).toBe(false);
  });

  it('CH-01: a change to a data item a purpose uses is material for that purpose', () => {
    const document = fixturePolicy();
    const next = { ...document, dataItems: document.dataItems.map((item) => (item.id === 'phone' ? { ...item, label: '手机号码及验证码' } : item)) };
    const loaded = load(agreedWithMarketing(), next);
    expect(pendingChanges(loaded).purposes).toEqual(['account', 'marketing']);
  });

  it('a change outside every purpose (the summary) re-asks nothing', () => {
    const document = fixturePolicy();
    const loaded = load(agreedWithMarketing(), { ...document, policy: { ...document.policy, summary: '新的摘要', version: '1.1' } });
    expect(needsConsent(loaded)).toBe(false);
    expect(isGranted(loaded, 'marketing')).toBe(true);
  });

  it('WD-02: a declined optional purpose is not re-asked when its text changes', () => {
    const declined = apply(initialState(), { type: 'agree-basic' }, { type: 'set-purpose', purposeId: 'marketing', granted: false });
    const loaded = load(declined, withChangedPurpose(fixturePolicy(), 'marketing', '营销2'));
    expect(pendingChanges(loaded).purposes).toEqual([]);
  });

  it('CH-02: nothing but an action records agreement, whatever the source policy claims', () => {
    const document = { ...fixturePolicy(), policy: { ...fixturePolicy().policy, sourceAcceptanceModel: 'continued_use' as const } };
    const state = load(initialState(document), document);
    expect(state.decisions.basic.decision).toBe('undecided');
    expect(needsConsent(state)).toBe(true);
  });
});
