/**
 * Hardening, issue 8 (what "nothing granted without a tap" stands on): properties of the consent
 * reducer over random action sequences.
 *
 * For the fixture and every seed policy, random sequences of agree / decline / dismiss /
 * set-purpose / separate consents / agree- and decline-changes / record-permission /
 * load-policy (with random material changes) and invalid actions are run through `reduce`,
 * next to a small model that knows only which explicit actions happened. After every step:
 * nothing consent-based is granted without an explicit, current grant (FL-01, FL-05, CG-03),
 * dismiss, and a change dialog's answer without a prior agreement, change nothing (FL-03, FL-01),
 * every other successful action yields exactly one persist and one record effect, decline never
 * grants, withdrawal is immediate (WD-01), load-policy never rewrites a decision (CG-05) and
 * records a non-material change once (CH-01), needsConsent is false after a decline (FL-04), and invalid
 * actions throw ConsentError('invalid-action') and change nothing.
 *
 * Run counts: small defaults keep test/hardening under 30 s on two cores. Raise them with
 * INAPP_CONSENT_FUZZ_RUNS (every property then runs at least that many sequences):
 *   INAPP_CONSENT_FUZZ_RUNS=2000 npx vitest run test/hardening/reducer-properties.test.ts
 */
import fc from 'fast-check';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { grantedMap, isGranted, needsConsent, pendingChanges } from '../../src/core/consent-read.js';
import { EMPTY_DECISIONS, type ConsentAction, type ConsentState, type PermissionStatus } from '../../src/core/decision-types.js';
import { reduce } from '../../src/core/decisions.js';
import { ConsentError } from '../../src/core/errors.js';
import { preparePolicy, type PreparedPolicy } from '../../src/core/policy-prepare.js';
import type { PolicyDocument, Purpose } from '../../src/core/policy-types.js';
import { validatePolicy } from '../../src/core/policy-validate.js';
import { fixturePolicy } from '../fixtures/policy.js';
import { allPaths, cloneDocument, Counts, FUZZ_TIMEOUT, getAt, isIdShape, runs, SEEDS, setAt, shapeAt } from '../helpers/arbitraries.js';

const counts = new Counts('reducer-properties.test.ts');
afterAll(() => counts.print());
vi.setConfig({ testTimeout: FUZZ_TIMEOUT });

const T0 = Date.UTC(2026, 10, 22, 12, 0, 0);
const STATUSES: readonly PermissionStatus[] = ['granted', 'limited', 'denied', 'blocked', 'unavailable'];
const UNKNOWN_IDS = ['no_such_id', '__proto__', '', 'toString', 'constructor', 'hasOwnProperty'];
const SWITCHABLE = new Set(['basic_bundle', 'optional_toggle']);

// ---------------------------------------------------------------------------------------------
// Policy changes a new version may bring, applied to a copy of the base document.

type Change =
  | { kind: 'purpose-label' | 'item-label' | 'consent-title'; id: string }
  | { kind: 'title' }
  | { kind: 'add-purpose'; id: string; mode: 'basic_bundle' | 'optional_toggle' };

function changesFor(document: PolicyDocument): Change[] {
  const used = new Set(document.purposes.flatMap((purpose) => purpose.items));
  return [
    ...document.purposes.map((purpose) => ({ kind: 'purpose-label' as const, id: purpose.id })),
    ...document.dataItems.filter((item) => used.has(item.id)).slice(0, 8).map((item) => ({ kind: 'item-label' as const, id: item.id })),
    ...document.separateConsents.map((consent) => ({ kind: 'consent-title' as const, id: consent.id })),
    { kind: 'title' },
    { kind: 'add-purpose', id: 'added_basic', mode: 'basic_bundle' },
    { kind: 'add-purpose', id: 'added_optional', mode: 'optional_toggle' },
    // A new purpose whose id is an Object.prototype member: it must be asked like any other.
    ...(document.purposes.some((purpose) => purpose.id === 'constructor') ? [] : [{ kind: 'add-purpose' as const, id: 'constructor', mode: 'basic_bundle' as const }]),
  ];
}

function applyChanges(base: PolicyDocument, changes: readonly Change[]): PolicyDocument {
  const document = cloneDocument(base) as unknown as Record<string, any>;
  document.policy.version = `${base.policy.version}+${changes.length}`;
  for (const change of changes) {
    switch (change.kind) {
      case 'purpose-label':
        document.purposes.find((purpose: Purpose) => purpose.id === change.id).label += '（已更新）';
        break;
      case 'item-label':
        document.dataItems.find((item: { id: string }) => item.id === change.id).label += '（含更新）';
        break;
      case 'consent-title':
        document.separateConsents.find((consent: { id: string }) => consent.id === change.id).title += '（新版）';
        break;
      case 'title':
        document.policy.title += '（修订）';
        break;
      case 'add-purpose':
        document.purposes.push({
          id: change.id, label: `新增目的 ${change.id}`, legalBasis: change.mode === 'basic_bundle' ? 'contract' : 'consent',
          consentMode: change.mode, items: [base.dataItems[0]!.id],
        });
    }
  }
  return document as unknown as PolicyDocument;
}

// ---------------------------------------------------------------------------------------------
// A world: one base policy, its prepared variants, and the actions that make sense for it.

type Step = ConsentAction | { type: 'load-variant'; changes: number[] };

interface World {
  readonly name: string;
  readonly base: PreparedPolicy;
  readonly changes: readonly Change[];
  variant(changes: readonly number[]): PreparedPolicy;
  readonly steps: fc.Arbitrary<Step[]>;
}

function makeWorld(name: string, document: PolicyDocument): World {
  const changes = changesFor(document);
  const base = preparePolicy(document);
  const cache = new Map<string, PreparedPolicy>([['', base]]);
  const variant = (picked: readonly number[]) => {
    const key = [...new Set(picked)].sort((a, b) => a - b).join(',');
    let prepared = cache.get(key);
    if (!prepared) {
      const next = applyChanges(document, key.split(',').map((index) => changes[Number(index)]!));
      expect(validatePolicy(next)).toEqual([]);
      prepared = preparePolicy(next);
      cache.set(key, prepared);
      counts.add('policy variants prepared');
    }
    return prepared;
  };
  const purposes = [...new Set([...document.purposes.map((purpose) => purpose.id), 'added_basic', 'added_optional', 'constructor'])];
  const optional = [...purposes.filter((id) => document.purposes.find((purpose) => purpose.id === id)?.consentMode === 'optional_toggle'), 'added_optional'];
  const consents = document.separateConsents.map((consent) => consent.id);
  const permissions = document.permissions.map((permission) => permission.id);
  const surface = fc.option(fc.constantFrom('first_launch', 'privacy_center', 'policy_change', 'separate_dialog', 'permission_prompt', 'host' as const), { nil: undefined });
  const withSurface = <A extends object>(action: A, chosen: string | undefined) => (chosen === undefined ? action : { ...action, surface: chosen });
  const step: fc.Arbitrary<Step> = fc.oneof(
    { weight: 3, arbitrary: surface.map((s) => withSurface({ type: 'agree-basic' as const }, s) as Step) },
    { weight: 2, arbitrary: surface.map((s) => withSurface({ type: 'decline-basic' as const }, s) as Step) },
    { weight: 2, arbitrary: fc.constant({ type: 'dismiss' as const }) },
    {
      weight: 8,
      arbitrary: fc.record({ purposeId: fc.constantFrom(...purposes, ...UNKNOWN_IDS), granted: fc.boolean() }).map((a) => ({ type: 'set-purpose' as const, ...a })),
    },
    {
      weight: consents.length > 0 ? 5 : 1,
      arbitrary: fc.record({ consentId: fc.constantFrom(...consents, ...UNKNOWN_IDS), granted: fc.boolean() }).map((a) => ({ type: 'set-separate-consent' as const, ...a })),
    },
    {
      weight: 2,
      arbitrary: fc.subarray([...optional, 'no_such_id']).map((ids) => ({ type: 'agree-changes' as const, optionalPurposeIds: ids })),
    },
    { weight: 1, arbitrary: fc.constant({ type: 'agree-changes' as const }) },
    { weight: 2, arbitrary: fc.constant({ type: 'decline-changes' as const }) },
    {
      weight: 3,
      arbitrary: fc
        .record({ permissionId: fc.constantFrom(...permissions, ...UNKNOWN_IDS), status: fc.constantFrom(...STATUSES), choice: fc.option(fc.constantFrom('continue' as const, 'not_now' as const), { nil: undefined }) })
        .map(({ choice, ...rest }) => ({ type: 'record-permission' as const, ...rest, ...(choice ? { choice } : {}) })),
    },
    { weight: 3, arbitrary: fc.array(fc.nat({ max: changes.length - 1 }), { maxLength: 3 }).map((picked) => ({ type: 'load-variant' as const, changes: picked })) },
  );
  return { name, base, changes, variant, steps: fc.array(step, { minLength: 1, maxLength: 40, size: 'max' }) };
}

// ---------------------------------------------------------------------------------------------
// The model: which explicit actions happened, and on what content.

interface Model {
  basic: 'undecided' | 'agreed' | 'declined';
  /**
   * Purpose id → the content hashes the person explicitly granted it on since their last
   * explicit refusal of it (a grant on an older text counts again if that text comes back).
   */
  purposeGrant: Map<string, Set<string>>;
  consentGrant: Map<string, string | null>;
  /** Purposes some action has asked about (first launch, a switch, a policy-change dialog). */
  asked: Set<string>;
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const key of Object.keys(value)) deepFreeze((value as Record<string, unknown>)[key]);
  }
  return value;
}

/** Whether the policy allows the action at all (an independent reading of the policy). */
function allowed(policy: PreparedPolicy, action: ConsentAction): boolean {
  switch (action.type) {
    case 'set-purpose': {
      const purpose = policy.document.purposes.find((candidate) => candidate.id === action.purposeId);
      return purpose !== undefined && SWITCHABLE.has(purpose.consentMode);
    }
    case 'set-separate-consent':
      return policy.document.separateConsents.some((consent) => consent.id === action.consentId);
    case 'record-permission':
      return policy.document.permissions.some((permission) => permission.id === action.permissionId);
    default:
      return true;
  }
}

const KIND: Partial<Record<ConsentAction['type'], string>> = {
  'agree-basic': 'agree', 'decline-basic': 'decline', 'set-purpose': 'purpose', 'set-separate-consent': 'separate_consent',
  'agree-changes': 'policy_change', 'decline-changes': 'policy_change', 'record-permission': 'permission',
};

/** Runs one sequence, checking every invariant after every step. */
function runSequence(world: World, steps: readonly Step[]): void {
  let state: ConsentState = { policy: world.base, decisions: deepFreeze(EMPTY_DECISIONS) };
  const model: Model = { basic: 'undecided', purposeGrant: new Map(), consentGrant: new Map(), asked: new Set() };
  checkInvariants(state, model);

  steps.forEach((step, index) => {
    const now = T0 + index * 60_000;
    const action: ConsentAction = step.type === 'load-variant' ? { type: 'load-policy', policy: world.variant(step.changes) } : step;
    const { policy } = state;
    const basicIds = policy.document.purposes.filter((purpose) => purpose.consentMode === 'basic_bundle').map((purpose) => purpose.id);
    const before = grantedMap(state);
    const decisionsBefore = structuredClone(state.decisions);
    counts.add('actions');

    if (!allowed(policy, action)) {
      counts.add('invalid actions');
      let thrown: unknown;
      try {
        reduce(state, action, now);
      } catch (error) {
        thrown = error;
      }
      expect(thrown, `${action.type} should be refused`).toBeInstanceOf(ConsentError);
      expect((thrown as ConsentError).code).toBe('invalid-action');
      expect(state.decisions).toEqual(decisionsBefore);
      return;
    }

    const { state: next, effects } = reduce(state, action, now);
    deepFreeze(next.decisions);
    const hash = (id: string) => next.policy.hashes.purposes[id] ?? null;
    const consentHash = (id: string) => next.policy.hashes.separateConsents[id] ?? null;

    const changesWithoutAgreement = (action.type === 'agree-changes' || action.type === 'decline-changes') && state.decisions.basic.decision !== 'agreed';
    if (action.type === 'dismiss' || changesWithoutAgreement) {
      // FL-03: no decision at all. FL-01, CH-02: a change dialog's answer is no first agreement.
      expect(next).toBe(state);
      expect(effects).toEqual([]);
    } else if (action.type === 'load-policy') {
      // CG-05: a new policy never rewrites a decision. CH-01: a change that re-asks nothing is
      // recorded once, as a notice, for someone who had agreed: only the version seen moves.
      const notice = state.decisions.basic.decision === 'agreed' && state.decisions.basic.policyHash !== action.policy.hashes.policy && !needsConsent(next);
      if (notice) {
        counts.add('non-material changes noticed');
        expect(effects).toEqual([{ type: 'persist' }, { type: 'record', event: expect.objectContaining({ kind: 'policy_notice', changes: [], policyHash: action.policy.hashes.policy }) }]);
        expect(next.decisions).toEqual({ ...state.decisions, basic: { ...state.decisions.basic, policyHash: action.policy.hashes.policy, policyVersion: action.policy.document.policy.version } });
      } else {
        expect(effects).toEqual([]);
        expect(next.decisions).toBe(state.decisions);
      }
      expect(next.policy).toBe(action.policy);
      if (action.policy.hashes.policy === policy.hashes.policy) {
        counts.add('load-policy of the same policy');
        expect(grantedMap(next)).toEqual(before);
        expect(needsConsent(next)).toBe(needsConsent(state));
      }
    } else {
      // Exactly one persist and one record, the record describing this action.
      expect(effects.filter((effect) => effect.type === 'persist')).toHaveLength(1);
      const records = effects.filter((effect) => effect.type === 'record');
      expect(records).toHaveLength(1);
      expect(effects).toHaveLength(2);
      const event = records[0]!.type === 'record' ? records[0]!.event : undefined;
      expect(event).toMatchObject({
        kind: KIND[action.type], at: now, policyId: policy.document.policy.id, policyVersion: policy.document.policy.version,
        policyHash: policy.hashes.policy, surface: ('surface' in action && action.surface) || 'host',
      });
      if (action.type === 'set-purpose') expect(event?.changes).toEqual([{ scope: 'purpose', id: action.purposeId, granted: action.granted, hash: hash(action.purposeId) }]);
      if (action.type === 'set-separate-consent') expect(event?.changes).toEqual([{ scope: 'separate_consent', id: action.consentId, granted: action.granted, hash: consentHash(action.consentId) }]);
      if (action.type === 'agree-basic' || action.type === 'decline-basic') {
        const granted = action.type === 'agree-basic';
        expect(event?.changes).toEqual(basicIds.map((id) => ({ scope: 'purpose', id, granted, hash: hash(id) })));
      }
      if (action.type === 'record-permission') {
        expect(event?.changes).toEqual([{ scope: 'permission', id: action.permissionId, status: action.status, ...(action.choice ? { choice: action.choice } : {}) }]);
        const record = next.decisions.permissions[action.permissionId];
        expect(record?.status).toBe(action.status);
        // PP-05: a refusal starts the cooldown now; anything else keeps the last refusal time.
        const refused = action.status === 'denied' || action.status === 'blocked';
        const previous = Object.hasOwn(state.decisions.permissions, action.permissionId) ? state.decisions.permissions[action.permissionId]?.refusedAt : undefined;
        expect(record?.refusedAt).toBe(refused ? now : previous);
      }
    }

    // The model learns what the person did: a grant adds the text it was given on, a refusal
    // forgets every grant.
    const grantOn = (id: string, on: string | null) => {
      if (on === null) model.purposeGrant.set(id, new Set());
      else model.purposeGrant.set(id, (model.purposeGrant.get(id) ?? new Set()).add(on));
    };
    switch (action.type) {
      case 'agree-basic':
      case 'decline-basic': {
        const agreed = action.type === 'agree-basic';
        model.basic = agreed ? 'agreed' : 'declined';
        for (const id of basicIds) {
          grantOn(id, agreed ? hash(id) : null);
          model.asked.add(id);
        }
        break;
      }
      case 'set-purpose':
        grantOn(action.purposeId, action.granted ? hash(action.purposeId) : null);
        model.asked.add(action.purposeId);
        break;
      case 'set-separate-consent':
        model.consentGrant.set(action.consentId, action.granted ? consentHash(action.consentId) : null);
        break;
      case 'agree-changes':
      case 'decline-changes':
        if (changesWithoutAgreement) break;
        // The policy-change dialog asks about every basic purpose; only pending ones change, and
        // a pending one has a stale or no grant, so the model's claim below stays one-way.
        if (action.type === 'agree-changes') {
          model.basic = 'agreed';
          for (const id of [...basicIds, ...(action.optionalPurposeIds ?? [])]) if (hash(id) !== null) grantOn(id, hash(id));
        }
        if (state.decisions.basic.decision === 'agreed') for (const id of basicIds) model.asked.add(id);
        break;
    }

    const after = grantedMap(next);
    // Decline never grants anything that was not granted before.
    if (action.type === 'decline-basic' || action.type === 'decline-changes') {
      for (const [id, granted] of after) if (granted) expect(before.get(id), `${id} granted by ${action.type}`).toBe(true);
      counts.add('declines checked');
    }
    // WD-01: withdrawal takes effect at once, for the purpose and for everything tied to it.
    if (action.type === 'set-purpose' && !action.granted) expect(isGranted(next, action.purposeId)).toBe(false);
    if (action.type === 'set-separate-consent' && !action.granted) {
      expect(isGranted(next, action.consentId)).toBe(false);
      // Every mode: a notice-only purpose needs the separate consents tied to it too (SC-01).
      for (const purpose of next.policy.document.purposes) {
        if (next.policy.document.separateConsents.some((consent) => consent.id === action.consentId && consent.purposeId === purpose.id)) {
          expect(isGranted(next, purpose.id), `${purpose.id} after withdrawing ${action.consentId}`).toBe(false);
        }
      }
      counts.add('withdrawals checked');
    }
    // FL-04: after 不同意 the person is not asked again at every launch.
    if (action.type === 'decline-basic') expect(needsConsent(next)).toBe(false);

    checkInvariants(next, model);
    state = next;
  });
}

function checkInvariants(state: ConsentState, model: Model): void {
  const { policy } = state;
  const granted = grantedMap(state);
  const consentGranted = (id: string) => {
    const want = model.consentGrant.get(id);
    return want !== undefined && want !== null && want === policy.hashes.separateConsents[id];
  };
  for (const consent of policy.document.separateConsents) {
    // A separate consent counts only for the text it was given on (SC-01, CG-04).
    expect(granted.get(consent.id), `separate consent ${consent.id}`).toBe(consentGranted(consent.id));
  }
  for (const purpose of policy.document.purposes) {
    const tied = policy.document.separateConsents.filter((consent) => consent.purposeId === purpose.id);
    const tiedGranted = tied.every((consent) => consentGranted(consent.id));
    const value = granted.get(purpose.id);
    switch (purpose.consentMode) {
      case 'basic_bundle':
      case 'optional_toggle':
        // FL-01, FL-05, CG-03: granted only by an explicit grant on the content now in force.
        if (value) {
          expect(model.purposeGrant.get(purpose.id)?.has(policy.hashes.purposes[purpose.id]!), `${purpose.id} granted without an explicit grant on its current text`).toBe(true);
          expect(tiedGranted, `${purpose.id} granted without its separate consents`).toBe(true);
          counts.add('consent-based grants justified');
        }
        break;
      case 'notice_only':
        expect(value, `notice-only ${purpose.id}`).toBe(model.basic === 'agreed' && tiedGranted);
        break;
      case 'separate':
      case 'guardian':
        expect(value, `${purpose.consentMode} ${purpose.id}`).toBe(tied.length > 0 && tiedGranted);
        break;
      case 'written':
        expect(value).toBe(false);
    }
  }
  // Nothing is granted for an id the policy does not declare.
  for (const id of UNKNOWN_IDS) if (!policy.purposes.has(id) && !policy.separateConsents.has(id)) expect(isGranted(state, id), id).toBe(false);
  // FL-04 / first launch / CH-01: when the dialog is due.
  if (model.basic === 'declined') expect(needsConsent(state)).toBe(false);
  if (model.basic === 'undecided') expect(needsConsent(state)).toBe(true);
  if (state.decisions.basic.decision === 'agreed') {
    const neverAsked = policy.document.purposes.filter((purpose) => purpose.consentMode === 'basic_bundle' && !model.asked.has(purpose.id));
    for (const purpose of neverAsked) {
      // A basic purpose that is new since the agreement is asked (CH-01), whatever its id.
      expect(pendingChanges(state).purposes, `new basic purpose "${purpose.id}" is pending`).toContain(purpose.id);
      expect(needsConsent(state)).toBe(true);
      counts.add('new basic purposes asked');
    }
  }
  expect(state.decisions.basic.decision).toBe(model.basic);
}

// ---------------------------------------------------------------------------------------------

const WORLDS = [['fixture', fixturePolicy()] as const, ...SEEDS.map((seed) => [seed.name, seed.document] as const)];

describe.each(WORLDS)('reduce over random action sequences: %s', (name, document) => {
  const world = makeWorld(name, document);

  it('keeps every consent invariant after every step', () => {
    fc.assert(
      fc.property(world.steps, (steps) => {
        counts.add('action sequences');
        runSequence(world, steps);
      }),
      { numRuns: runs(name === 'fixture' ? 60 : 25) },
    );
  });

  it('a material change moves the hash of what changed and nothing else (CG-04)', () => {
    world.changes.forEach((change, index) => {
      if (change.kind !== 'purpose-label' && change.kind !== 'consent-title' && change.kind !== 'title') return;
      const next = world.variant([index]);
      counts.add('material changes hashed');
      expect(next.hashes.policy).not.toBe(world.base.hashes.policy);
      for (const [id, hash] of Object.entries(world.base.hashes.purposes)) {
        expect(next.hashes.purposes[id] === hash, `purpose ${id} after ${change.kind} ${'id' in change ? change.id : ''}`).toBe(!(change.kind === 'purpose-label' && change.id === id));
      }
      for (const [id, hash] of Object.entries(world.base.hashes.separateConsents)) {
        expect(next.hashes.separateConsents[id] === hash, `consent ${id}`).toBe(!(change.kind === 'consent-title' && change.id === id));
      }
    });
  });
});

// ---------------------------------------------------------------------------------------------
// Ids that are Object.prototype members behave exactly like any other id.

/** The fixture with ids renamed everywhere they are referenced (id-shaped fields only). */
function renameIds(document: PolicyDocument, names: Readonly<Record<string, string>>): PolicyDocument {
  const copy = cloneDocument(document);
  for (const path of allPaths(copy)) {
    const value = getAt(copy, path);
    if (typeof value === 'string' && Object.hasOwn(names, value) && isIdShape(shapeAt(path))) setAt(copy, path, names[value]);
  }
  return copy;
}

describe('prototype-named ids', () => {
  const NAMES: Record<string, string> = {
    account: 'constructor', marketing: 'toString', nearby_recommendation: 'valueOf', face_verification: 'isPrototypeOf',
    face_consent: 'hasOwnProperty', location_consent: 'propertyIsEnumerable', location: 'toLocaleString',
    // The plain world's variants may add a purpose "constructor"; here it needs another name.
    constructor: 'added_constructor',
  };
  const plain = makeWorld('fixture', fixturePolicy());
  const renamed = preparePolicy(renameIds(fixturePolicy(), NAMES));
  const rename = (id: string) => (Object.hasOwn(NAMES, id) ? NAMES[id]! : id);

  it('the renamed fixture is valid and keeps its structure', () => {
    expect(validatePolicy(renamed.document)).toEqual([]);
    expect([...renamed.purposes.keys()]).toEqual([...plain.base.purposes.keys()].map(rename));
  });

  it('gives the same answers, pending changes and effects as the plain fixture for any sequence', () => {
    // The renamed world gets its own variants: the same changes, applied to the renamed document.
    const renamedVariants = new Map<string, PreparedPolicy>();
    const variantOf = (changes: readonly number[]) => {
      const key = [...new Set(changes)].sort().join(',');
      let prepared = renamedVariants.get(key);
      if (!prepared) {
        prepared = preparePolicy(renameIds(plain.variant(changes).document, NAMES));
        renamedVariants.set(key, prepared);
      }
      return prepared;
    };
    fc.assert(
      fc.property(plain.steps, (steps) => {
        counts.add('prototype-id sequences');
        let a: ConsentState = { policy: plain.base, decisions: EMPTY_DECISIONS };
        let b: ConsentState = { policy: renamed, decisions: EMPTY_DECISIONS };
        steps.forEach((step, index) => {
          const now = T0 + index * 1000;
          const actionA: ConsentAction = step.type === 'load-variant' ? { type: 'load-policy', policy: plain.variant(step.changes) } : step;
          const actionB: ConsentAction =
            step.type === 'load-variant' ? { type: 'load-policy', policy: variantOf(step.changes) }
              : step.type === 'set-purpose' ? { ...step, purposeId: rename(step.purposeId) }
                : step.type === 'set-separate-consent' ? { ...step, consentId: rename(step.consentId) }
                  : step.type === 'record-permission' ? { ...step, permissionId: rename(step.permissionId) }
                    : step.type === 'agree-changes' ? { ...step, ...(step.optionalPurposeIds ? { optionalPurposeIds: step.optionalPurposeIds.map(rename) } : {}) }
                      : step;
          // An unknown id in one world may be a prototype-named id in the other: skip those.
          const unknownA = !allowed(a.policy, actionA);
          if (unknownA || !allowed(b.policy, actionB)) return;
          const nextA = reduce(a, actionA, now);
          const nextB = reduce(b, actionB, now);
          const map = (granted: ReadonlyMap<string, boolean>) => new Map([...granted].map(([id, value]) => [rename(id), value]));
          expect(grantedMap(nextB.state)).toEqual(map(grantedMap(nextA.state)));
          expect(needsConsent(nextB.state)).toBe(needsConsent(nextA.state));
          expect(pendingChanges(nextB.state).purposes).toEqual(pendingChanges(nextA.state).purposes.map(rename));
          expect(nextB.effects.map((effect) => effect.type)).toEqual(nextA.effects.map((effect) => effect.type));
          a = nextA.state;
          b = nextB.state;
        });
      }),
      { numRuns: runs(40) },
    );
  });

  it('a new basic purpose named "constructor" is asked after a change, like any new purpose (CH-01)', () => {
    const base = fixturePolicy();
    const next = applyChanges(base, [{ kind: 'add-purpose', id: 'constructor', mode: 'basic_bundle' }]);
    let state: ConsentState = { policy: preparePolicy(base), decisions: EMPTY_DECISIONS };
    state = reduce(state, { type: 'agree-basic' }, T0).state;
    state = reduce(state, { type: 'load-policy', policy: preparePolicy(next) }, T0 + 1).state;
    expect(pendingChanges(state).purposes).toEqual(['constructor']);
    expect(needsConsent(state)).toBe(true);
    state = reduce(state, { type: 'agree-changes' }, T0 + 2).state;
    expect(isGranted(state, 'constructor')).toBe(true);
    expect(needsConsent(state)).toBe(false);
  });
});
