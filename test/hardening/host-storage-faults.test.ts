/**
 * Hardening, issue 8 item 3 (storage faults), through the host API: createConsent over
 * fake-indexeddb and over stores that fail on purpose.
 *
 * IndexedDB missing, an open that never settles, quota errors on every N-th write, a record of
 * an older / unknown / newer version, a corrupted record of every JSON type, and random
 * interleavings of actions, faults and restarts. Each must recover with one clear `error`
 * event, lose no decision within the session (the instance always shows every action, checked
 * against the pure reducer), and never overwrite a record written by a newer SDK.
 *
 * Run counts: small defaults keep test/hardening under 30 s on two cores. Raise them with
 * INAPP_CONSENT_FUZZ_RUNS (every property then runs at least that many times):
 *   INAPP_CONSENT_FUZZ_RUNS=1000 npx vitest run test/hardening/host-storage-faults.test.ts
 */
import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import fc from 'fast-check';
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { grantedMap, needsConsent } from '../../src/core/consent-read.js';
import { EMPTY_DECISIONS, type ConsentAction, type ConsentState, type Decisions, type PermissionStatus } from '../../src/core/decision-types.js';
import { reduce } from '../../src/core/decisions.js';
import { ConsentError, type ErrorCode } from '../../src/core/errors.js';
import type { KeyValueStore } from '../../src/core/ports.js';
import { preparePolicy, type PreparedPolicy } from '../../src/core/policy-prepare.js';
import type { PolicyDocument } from '../../src/core/policy-types.js';
import { INSTALL_ID_KEY, readRecord, RECORD_VERSION, recordKey, type StoredRecord } from '../../src/core/stored-record.js';
import { createConsent } from '../../src/host/create-consent.js';
import type { ConsentInstance } from '../../src/host/instance.js';
import { createIndexedDbStore } from '../../src/storage/indexeddb.js';
import { createResilientStore } from '../../src/storage/resilient-store.js';
import { fixturePolicy } from '../fixtures/policy.js';
import { withChangedPurpose } from '../helpers/state.js';
import { cloneDocument, Counts, FUZZ_TIMEOUT, jsonWithPrototypeKeys, runs, SEEDS } from '../helpers/arbitraries.js';

const counts = new Counts('host-storage-faults.test.ts');
afterAll(() => counts.print());
vi.setConfig({ testTimeout: FUZZ_TIMEOUT });

const T0 = Date.UTC(2026, 10, 22, 12, 0, 0);
/** How long the resilient store waits for a primary that does not answer (its default). */
const STORAGE_TIMEOUT_MS = 3000;

beforeEach(() => {
  globalThis.indexedDB = new IDBFactory();
});
afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllGlobals();
});

// ---------------------------------------------------------------------------------------------
// Host actions, and what each means to the reducer

type HostStep =
  | { op: 'agree' | 'decline' | 'dismiss' | 'declineChanges' }
  | { op: 'setPurpose'; id: string; on: boolean }
  | { op: 'grant' | 'withdraw'; id: string }
  | { op: 'agreeChanges'; ids: string[] }
  | { op: 'recordPermission'; id: string; status: PermissionStatus }
  | { op: 'updatePolicy'; variant: number };

function hostSteps(document: PolicyDocument): fc.Arbitrary<HostStep> {
  const purposes = [...document.purposes.map((purpose) => purpose.id), 'no_such_purpose', 'constructor'];
  const grantable = [...purposes, ...document.separateConsents.map((consent) => consent.id)];
  const optional = document.purposes.filter((purpose) => purpose.consentMode === 'optional_toggle').map((purpose) => purpose.id);
  const permissions = [...document.permissions.map((permission) => permission.id), 'no_such_permission'];
  return fc.oneof(
    { weight: 3, arbitrary: fc.constantFrom<HostStep>({ op: 'agree' }, { op: 'decline' }, { op: 'dismiss' }, { op: 'declineChanges' }) },
    { weight: 4, arbitrary: fc.record({ id: fc.constantFrom(...purposes), on: fc.boolean() }).map((s): HostStep => ({ op: 'setPurpose', ...s })) },
    { weight: 4, arbitrary: fc.record({ op: fc.constantFrom('grant' as const, 'withdraw' as const), id: fc.constantFrom(...grantable) }) },
    { weight: 1, arbitrary: fc.subarray(optional).map((ids): HostStep => ({ op: 'agreeChanges', ids })) },
    { weight: 2, arbitrary: fc.record({ id: fc.constantFrom(...permissions), status: fc.constantFrom<PermissionStatus>('granted', 'limited', 'denied', 'blocked', 'unavailable') }).map((s): HostStep => ({ op: 'recordPermission', ...s })) },
    { weight: 1, arbitrary: fc.nat(2).map((variant): HostStep => ({ op: 'updatePolicy', variant })) },
  );
}

/** The policy versions updatePolicy moves between: the base, and two material changes. */
function variants(document: PolicyDocument): PolicyDocument[] {
  const [first, second] = document.purposes.filter((purpose) => purpose.consentMode === 'optional_toggle' || purpose.consentMode === 'basic_bundle');
  return [document, withChangedPurpose(document, first!.id, `${first!.label}（更新）`), withChangedPurpose(document, (second ?? first)!.id, '已修改的目的')];
}

interface Harness {
  state: ConsentState;
  readonly documents: PolicyDocument[];
  readonly prepared: PreparedPolicy[];
}

/**
 * Runs one step on the instance and on the reducer; returns whether the reducer accepted it,
 * and whether the action wrote the record (it had effects: dismiss, a change answer without an
 * agreement and a material or unchanged policy load do not; a non-material one does, CH-01).
 */
async function runStep(consent: ConsentInstance, model: Harness, step: HostStep, now: number, settle: <T>(p: Promise<T>) => Promise<T>): Promise<boolean> {
  return (await runStepWrites(consent, model, step, now, settle)) !== 'invalid';
}

async function runStepWrites(consent: ConsentInstance, model: Harness, step: HostStep, now: number, settle: <T>(p: Promise<T>) => Promise<T>): Promise<'invalid' | 'none' | 'writes'> {
  const separate = model.state.policy.separateConsents;
  let action: ConsentAction;
  let call: () => Promise<void>;
  switch (step.op) {
    case 'agree': action = { type: 'agree-basic' }; call = () => consent.agree(); break;
    case 'decline': action = { type: 'decline-basic' }; call = () => consent.decline(); break;
    case 'dismiss': action = { type: 'dismiss' }; call = () => consent.dismiss(); break;
    case 'declineChanges': action = { type: 'decline-changes' }; call = () => consent.declineChanges(); break;
    case 'agreeChanges': action = { type: 'agree-changes', optionalPurposeIds: step.ids }; call = () => consent.agreeChanges(step.ids); break;
    case 'setPurpose': action = { type: 'set-purpose', purposeId: step.id, granted: step.on }; call = () => consent.setPurpose(step.id, step.on); break;
    case 'grant':
    case 'withdraw': {
      const on = step.op === 'grant';
      action = separate.has(step.id) ? { type: 'set-separate-consent', consentId: step.id, granted: on } : { type: 'set-purpose', purposeId: step.id, granted: on };
      call = () => (on ? consent.grant(step.id) : consent.withdraw(step.id));
      break;
    }
    case 'recordPermission': action = { type: 'record-permission', permissionId: step.id, status: step.status }; call = () => consent.recordPermission(step.id, step.status); break;
    case 'updatePolicy': action = { type: 'load-policy', policy: model.prepared[step.variant]! }; call = () => consent.updatePolicy(model.documents[step.variant]); break;
  }
  let expected: ConsentState | undefined;
  let writes = false;
  try {
    const transition = reduce(model.state, action, now);
    expected = transition.state;
    writes = transition.effects.some((effect) => effect.type === 'persist');
  } catch (error) {
    expect(error).toBeInstanceOf(ConsentError);
  }
  let outcome: unknown = 'ok';
  await settle(call().catch((error: unknown) => void (outcome = error)));
  counts.add('host actions');
  if (expected === undefined) {
    // Programmer errors reject with invalid-action and change nothing.
    expect(outcome).toMatchObject({ code: 'invalid-action' });
    return 'invalid';
  }
  expect(outcome, `${step.op} rejected`).toBe('ok');
  model.state = expected;
  return writes ? 'writes' : 'none';
}

/** The instance shows exactly the model's state: no decision lost, none invented. */
function expectSameState(consent: ConsentInstance, state: ConsentState): void {
  const snapshot = consent.state.value;
  expect(snapshot.ready).toBe(true);
  expect(snapshot.decision).toBe(state.decisions.basic.decision);
  expect(snapshot.granted).toEqual(Object.fromEntries(grantedMap(state)));
  expect(snapshot.permissions).toEqual(Object.fromEntries(Object.entries(state.decisions.permissions).map(([id, record]) => [id, record.status])));
  expect(snapshot.needsConsent).toBe(needsConsent(state));
  expect(snapshot.policyHash).toBe(state.policy.hashes.policy);
}

const realSettle = <T>(promise: Promise<T>) => promise;

/**
 * Signals each storage call that will never answer. With fake timers (setTimeout only), time
 * is moved on exactly when such a call is waiting, and by the storage timeout only: everything
 * else (WebCrypto, fake-indexeddb's setImmediate) runs in real time, undisturbed.
 */
function hangDetector() {
  let signal!: () => void;
  let next = new Promise<void>((resolve) => (signal = resolve));
  return {
    /** Called by a fake store when it returns a promise that never settles. */
    hung() {
      signal();
      next = new Promise<void>((resolve) => (signal = resolve));
    },
    async settle<T>(promise: Promise<T>): Promise<T> {
      let done = false;
      const tracked = promise.finally(() => void (done = true));
      for (let rounds = 0; !done; rounds++) {
        expect(rounds, 'a call that hangs more than a few times').toBeLessThan(10);
        const hung = await Promise.race([tracked.then(() => false, () => false), next.then(() => true)]);
        if (hung) await vi.advanceTimersByTimeAsync(STORAGE_TIMEOUT_MS);
      }
      return tracked;
    },
  };
}

/**
 * The error codes an instance reports about its decisions. Receipt and signer errors (the
 * receipt log and the device key have their own storage, another issue's part) are left out.
 */
function errorsOf(consent: ConsentInstance): ErrorCode[] {
  const codes: ErrorCode[] = [];
  consent.on('error', (error) => {
    expect(error).toBeInstanceOf(ConsentError);
    expect(error.message).toMatch(/^inapp-consent: /);
    if (!/receipt|signer/i.test(error.message)) codes.push(error.code);
  });
  return codes;
}

function harness(document: PolicyDocument): Harness {
  const documents = variants(document);
  const prepared = documents.map((doc) => preparePolicy(doc));
  return { state: { policy: prepared[0]!, decisions: EMPTY_DECISIONS }, documents, prepared };
}

const fixtureSteps = fc.array(hostSteps(fixturePolicy()), { minLength: 1, maxLength: 25, size: 'max' });

// ---------------------------------------------------------------------------------------------

describe('IndexedDB missing', () => {
  it('works in memory, reports storage-unavailable once, and keeps every decision', async () => {
    await fc.assert(
      fc.asyncProperty(fixtureSteps, async (steps) => {
        counts.add('sessions without IndexedDB');
        vi.stubGlobal('indexedDB', undefined);
        const model = harness(fixturePolicy());
        let clock = T0;
        const consent = createConsent({ policy: fixturePolicy(), now: () => clock });
        const errors = errorsOf(consent);
        await consent.ready;
        for (const step of steps) {
          clock += 1000;
          await runStep(consent, model, step, clock, realSettle);
          expectSameState(consent, model.state);
        }
        expect(errors).toEqual(['storage-unavailable']);
        expect(consent.state.value.storageDegraded).toBe(true);
        counts.add('faults injected');
        consent.destroy();
      }),
      { numRuns: runs(25) },
    );
  });
});

describe('an IndexedDB open that never settles (blocked)', () => {
  it('is given up after the timeout: ready resolves, storage-unavailable is reported, decisions are kept in memory', async () => {
    await fc.assert(
      fc.asyncProperty(fixtureSteps, async (steps) => {
        counts.add('sessions with a blocked open');
        vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
        let opens = 0;
        let opened!: () => void;
        const open = new Promise<void>((resolve) => (opened = resolve));
        // A request whose events never fire, as a `blocked` open in some Android WebViews.
        vi.stubGlobal('indexedDB', { open: () => (opens++, opened(), {}) });
        const model = harness(fixturePolicy());
        let clock = T0;
        const consent = createConsent({ policy: fixturePolicy(), now: () => clock });
        const errors = errorsOf(consent);
        let ready = false;
        void consent.ready.then(() => void (ready = true));
        await open;
        await vi.advanceTimersByTimeAsync(STORAGE_TIMEOUT_MS - 1);
        expect(ready).toBe(false);
        expect(consent.isGranted('account')).toBe(false);
        await vi.advanceTimersByTimeAsync(1);
        await consent.ready;
        expect(errors).toEqual(['storage-unavailable']);
        for (const step of steps) {
          clock += 1000;
          await runStep(consent, model, step, clock, realSettle);
          expectSameState(consent, model.state);
        }
        // Degraded once, the blocked database is not tried again (no 3 s wait per decision).
        expect(opens).toBe(1);
        expect(errors).toEqual(['storage-unavailable']);
        counts.add('faults injected');
        consent.destroy();
        vi.useRealTimers();
      }),
      { numRuns: runs(15) },
    );
  });
});

describe('quota exceeded on every N-th write', () => {
  it('keeps every decision in the session, reports storage-write-failed once per episode, and writes the latest decisions when the database answers again', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 6 }), fc.boolean(), fixtureSteps, async (every, withSubject, steps) => {
        counts.add('sessions with quota errors');
        globalThis.indexedDB = new IDBFactory();
        const idb = createIndexedDbStore();
        let writes = 0;
        let failures = 0;
        const quota: KeyValueStore = {
          kind: 'custom',
          get: (key) => idb.get(key),
          set: (key, value) => {
            writes++;
            if (writes % every === 0) {
              failures++;
              counts.add('faults injected');
              return Promise.reject(new DOMException('The quota has been exceeded.', 'QuotaExceededError'));
            }
            return idb.set(key, value);
          },
          del: (key) => idb.del(key),
        };
        const model = harness(fixturePolicy());
        let clock = T0;
        const consent = createConsent({ policy: fixturePolicy(), storage: quota, now: () => clock, ...(withSubject ? { subject: 'pseudonym' } : {}) });
        const errors = errorsOf(consent);
        await consent.ready;
        let wrote = false;
        for (const step of steps) {
          clock += 1000;
          wrote ||= (await runStepWrites(consent, model, step, clock, realSettle)) === 'writes';
          expectSameState(consent, model.state);
        }
        // A failed write is retried at the next one: one error per episode, never more than failures.
        expect(errors.every((code) => code === 'storage-write-failed')).toBe(true);
        expect(errors.length).toBeLessThanOrEqual(failures);
        if (failures > 0) expect(errors.length).toBeGreaterThan(0);
        // Once the database answers again, it holds the latest decisions: nothing decided is lost.
        const stored = readRecord(await idb.get(recordKey('fixture-app')));
        if (!wrote) expect(stored.kind).toBe('empty');
        else if (!consent.state.value.storageDegraded) expect(stored).toMatchObject({ kind: 'ok', record: { decisions: model.state.decisions } });
        consent.destroy();
      }),
      { numRuns: runs(40) },
    );
  });
});

describe('a store that throws synchronously (localStorage in a sandboxed frame)', () => {
  const throwing = (): KeyValueStore => ({
    kind: 'custom',
    get: () => { throw new DOMException('The operation is insecure.', 'SecurityError'); },
    set: () => { throw new DOMException('The operation is insecure.', 'SecurityError'); },
    del: () => { throw new DOMException('The operation is insecure.', 'SecurityError'); },
  });

  it('reports storage-unavailable to a listener attached right after createConsent, and keeps decisions', async () => {
    counts.add('faults injected');
    const consent = createConsent({ policy: fixturePolicy(), storage: throwing(), subject: 'pseudonym' });
    const errors = errorsOf(consent);
    await consent.ready;
    await consent.agree();
    await consent.grant('marketing');
    expect(errors).toEqual(['storage-unavailable']);
    expect(consent.isGranted('marketing')).toBe(true);
    expect(consent.state.value.storageDegraded).toBe(true);
    consent.destroy();
  });

  it('never throws from get, set or del, and reports once, never synchronously', async () => {
    const reported: ConsentError[] = [];
    const store = createResilientStore(throwing(), (error) => reported.push(error));
    const first = store.get('k');
    expect(reported).toEqual([]); // not yet: the caller may still be attaching its listener
    expect(await first).toBeUndefined();
    await store.set('k', 1);
    expect(await store.get('k')).toBe(1);
    await store.del('k');
    expect(await store.get('k')).toBeUndefined();
    // del on the primary throws synchronously too: still a promise, and the memory copy goes.
    const other = createResilientStore(throwing(), () => {});
    await expect(other.del('k')).resolves.toBeUndefined();
    expect(reported.map((error) => error.code)).toEqual(['storage-unavailable']);
  });
});

describe('the resilient store itself, under random faults', () => {
  type Op = { op: 'get' | 'del'; key: string } | { op: 'set'; key: string; value: number };
  type Failure = 'none' | 'throws' | 'rejects' | 'hangs';
  const op: fc.Arbitrary<[Op, Failure]> = fc.tuple(
    fc.oneof(
      fc.record({ op: fc.constantFrom('get' as const, 'del' as const), key: fc.constantFrom('a', 'b', '__proto__') }),
      fc.record({ op: fc.constant('set' as const), key: fc.constantFrom('a', 'b', '__proto__'), value: fc.integer() }),
    ),
    fc.constantFrom<Failure>('none', 'none', 'none', 'none', 'throws', 'rejects', 'hangs'),
  );

  it('never throws or rejects, reports once per episode, keeps what failed in memory and writes it back when the primary answers', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(op, { minLength: 1, maxLength: 30 }), async (ops) => {
        counts.add('resilient-store op sequences');
        const primaryData = new Map<string, number>();
        let failure: Failure = 'none';
        const fail = <T>(work: () => T): Promise<T> => {
          if (failure === 'throws') throw new DOMException('insecure', 'SecurityError');
          if (failure === 'rejects') return Promise.reject(new DOMException('quota', 'QuotaExceededError'));
          if (failure === 'hangs') return new Promise<T>(() => {});
          return Promise.resolve(work());
        };
        const primary: KeyValueStore = {
          kind: 'custom',
          get: (key) => fail(() => primaryData.get(key)),
          set: (key, value) => fail(() => void primaryData.set(key, value as number)),
          del: (key) => fail(() => void primaryData.delete(key)),
        };
        const reported: ConsentError[] = [];
        const store = createResilientStore(primary, (error) => reported.push(error), 5);
        /** A call hung: its promise never settles, so the primary is not called again. */
        let stuck = false;
        /** In an episode: reported, until a call succeeds with nothing left unsaved. */
        let failingNow = false;
        let episodes = 0;
        /** Writes that only reached memory (undefined: a delete), in the order the store keeps them. */
        const unsaved = new Map<string, number | undefined>();
        const writeBack = () => {
          for (const [key, value] of unsaved) if (value === undefined) primaryData.delete(key); else primaryData.set(key, value);
          unsaved.clear();
        };
        for (const [step, mode] of ops) {
          failure = stuck ? 'none' : mode; // while a call hangs the primary is not called at all
          const works = !stuck && mode === 'none';
          if (!stuck && mode !== 'none') counts.add('faults injected');
          if (step.op === 'get') {
            const value = await store.get(step.key);
            if (works) {
              if (unsaved.has(step.key)) writeBack();
              expect(value).toBe(primaryData.get(step.key));
            } else expect(value).toBe(unsaved.get(step.key));
          } else if (step.op === 'set') {
            await expect(store.set(step.key, step.value)).resolves.toBeUndefined();
            if (works) {
              writeBack();
              primaryData.set(step.key, step.value);
            } else unsaved.set(step.key, step.value);
          } else {
            await expect(store.del(step.key)).resolves.toBeUndefined();
            if (works) {
              writeBack();
              primaryData.delete(step.key);
            } else unsaved.set(step.key, undefined);
          }
          if (works) failingNow = unsaved.size > 0;
          else if (!stuck) {
            if (!failingNow) episodes++;
            failingNow = true;
            stuck = mode === 'hangs';
          }
          expect(store.degraded).toBe(failingNow || stuck || unsaved.size > 0);
          // Every write made while failing is kept: memory answers it until the primary has it.
          if (stuck || !works) for (const [key, value] of unsaved) expect(await store.get(key)).toBe(value);
        }
        expect(reported.length).toBe(episodes);
      }),
      { numRuns: runs(150) },
    );
  });
});

// ---------------------------------------------------------------------------------------------
// What a stored record may hold

const SOME_DECISIONS: Decisions = {
  basic: { decision: 'agreed', at: T0, policyHash: 'x', policyVersion: '1.0' },
  purposes: { marketing: { granted: true, hash: preparePolicy(fixturePolicy()).hashes.purposes.marketing!, at: T0 } },
  separateConsents: {},
  permissions: { location: { status: 'denied', at: T0, refusedAt: T0 } },
};
const record = (v: unknown, extra: object = {}) => ({ v, policyId: 'fixture-app', savedAt: T0, decisions: SOME_DECISIONS, ...extra });

const OLDER = [record(0), record(-1), record(0.5), record(-Infinity)];
const UNKNOWN = [record('1'), record('2'), record(null), record(1.5), record(true), record({ major: 2 }), { policyId: 'fixture-app', savedAt: T0, decisions: SOME_DECISIONS }];
const NEWER = [record(2), record(99, { decisions: { basic: 'a format this SDK cannot read' } }), record(Number.MAX_SAFE_INTEGER), record(1e300)];

async function startOver(raw: unknown, steps: readonly HostStep[]) {
  globalThis.indexedDB = new IDBFactory();
  const idb = createIndexedDbStore();
  await idb.set(recordKey('fixture-app'), raw);
  const model = harness(fixturePolicy());
  const verdict = readRecord(raw);
  if (verdict.kind === 'ok') model.state = { ...model.state, decisions: verdict.record.decisions };
  let clock = T0 + 5000;
  const consent = createConsent({ policy: fixturePolicy(), now: () => clock });
  const errors = errorsOf(consent);
  await consent.ready;
  const readAt = clock;
  const restored = consent.state.value;
  for (const step of steps) {
    clock += 1000;
    await runStep(consent, model, step, clock, realSettle);
    expectSameState(consent, model.state);
  }
  consent.destroy();
  return { idb, errors, restored, readAt, model };
}

describe('records of other versions', () => {
  it.each(OLDER.map((raw) => [String(raw.v), raw] as const))('an older version (v %s) with no migration is set aside as corrupt and the session starts over', async (_v, raw) => {
    counts.add('faults injected');
    const steps: HostStep[] = [{ op: 'agree' }, { op: 'grant', id: 'marketing' }];
    const { idb, errors, restored, readAt } = await startOver(raw, steps);
    expect(errors).toEqual(['storage-record-corrupt']);
    expect(restored.decision).toBe('undecided');
    expect(await idb.get(`${recordKey('fixture-app')}/corrupt/${readAt}`)).toEqual(raw);
    expect(readRecord(await idb.get(recordKey('fixture-app')))).toMatchObject({ kind: 'ok', record: { v: RECORD_VERSION, decisions: { basic: { decision: 'agreed' } } } });
  });

  it.each(UNKNOWN.map((raw) => [JSON.stringify((raw as { v?: unknown }).v) ?? 'missing', raw] as const))('an unknown version (v %s) is set aside as corrupt, never read as decisions', async (_v, raw) => {
    counts.add('faults injected');
    const { idb, errors, restored, readAt } = await startOver(raw, [{ op: 'decline' }]);
    expect(errors).toEqual(['storage-record-corrupt']);
    expect(restored.granted).not.toMatchObject({ marketing: true });
    expect(restored.decision).toBe('undecided');
    expect(await idb.get(`${recordKey('fixture-app')}/corrupt/${readAt}`)).toEqual(raw);
  });

  it.each(NEWER.map((raw) => [String(raw.v), raw] as const))('a newer version (v %s) is never overwritten; the session works in memory', async (_v, raw) => {
    counts.add('faults injected');
    const steps: HostStep[] = [{ op: 'agree' }, { op: 'grant', id: 'marketing' }, { op: 'withdraw', id: 'marketing' }, { op: 'recordPermission', id: 'location', status: 'granted' }, { op: 'decline' }];
    const { idb, errors, restored } = await startOver(raw, steps);
    expect(errors).toEqual(['storage-record-unknown-version']);
    expect(restored.decision).toBe('undecided');
    expect(restored.storageDegraded).toBe(true);
    expect(await idb.get(recordKey('fixture-app'))).toEqual(raw);
  });
});

// ---------------------------------------------------------------------------------------------
// Corrupted records

/** Mutations of a valid stored record: a field deleted, a value of another type, an extra key. */
const brokenRecord: fc.Arbitrary<{ raw: unknown; how: string }> = fc.oneof(
  fc.jsonValue().map((raw) => ({ raw, how: 'random JSON' })),
  jsonWithPrototypeKeys.map((raw) => ({ raw, how: 'JSON with prototype keys' })),
  fc.tuple(fc.constantFrom('v', 'policyId', 'savedAt', 'decisions', 'basic', 'decision', 'purposes', 'separateConsents', 'permissions', 'granted', 'hash', 'status', 'at'), fc.jsonValue(), fc.boolean())
    .map(([field, value, remove]) => {
      const raw = structuredClone(record(1)) as Record<string, any>;
      const targets: Record<string, any>[] = [raw, raw.decisions, raw.decisions.basic, raw.decisions.purposes.marketing, raw.decisions.permissions.location];
      const owner = targets.find((target) => Object.hasOwn(target, field))!;
      if (remove) delete owner[field];
      else owner[field] = value;
      return { raw, how: `${remove ? 'deleted' : 'replaced'} ${field}` };
    }),
  fc.tuple(fc.constantFrom('__proto__', 'constructor', 'toString', 'extra'), jsonWithPrototypeKeys).map(([key, value]) => {
    const raw = structuredClone(record(1)) as Record<string, any>;
    Object.defineProperty(raw.decisions, key, { value, enumerable: true, writable: true, configurable: true });
    return { raw, how: `extra key ${key}` };
  }),
);

describe('a corrupted record', () => {
  it('of any JSON type: ready resolves, the record is set aside (or read, if it is valid), and later decisions are kept', async () => {
    await fc.assert(
      fc.asyncProperty(brokenRecord, fc.array(hostSteps(fixturePolicy()), { minLength: 1, maxLength: 6 }), async ({ raw }, steps) => {
        counts.add('corrupted records');
        counts.add('faults injected');
        const verdict = readRecord(raw);
        const { idb, errors, restored, readAt } = await startOver(raw, steps);
        // Independent of readRecord where it can be: null is empty, an integer v above 1 is newer.
        const isObject = typeof raw === 'object' && raw !== null && !Array.isArray(raw);
        const v = isObject ? (raw as { v?: unknown }).v : undefined;
        if (raw === null) expect(verdict.kind).toBe('empty');
        else if (typeof v === 'number' && Number.isInteger(v) && v > 1) expect(verdict.kind).toBe('newer');
        else if (!isObject || v !== 1) expect(verdict.kind).toBe('corrupt');
        switch (verdict.kind) {
          case 'empty':
            expect(errors).toEqual([]);
            break;
          case 'ok':
            counts.add('mutated records still valid');
            expect(errors).toEqual([]);
            expect(restored.decision).toBe(verdict.record.decisions.basic.decision);
            break;
          case 'newer':
            expect(errors).toEqual(['storage-record-unknown-version']);
            expect(await idb.get(recordKey('fixture-app'))).toEqual(raw);
            break;
          case 'corrupt':
            expect(errors).toEqual(['storage-record-corrupt']);
            expect(restored.decision).toBe('undecided');
            expect(restored.granted).toEqual(Object.fromEntries(grantedMap({ policy: preparePolicy(fixturePolicy()), decisions: EMPTY_DECISIONS })));
            expect(await idb.get(`${recordKey('fixture-app')}/corrupt/${readAt}`)).toEqual(raw);
        }
      }),
      { numRuns: runs(60) },
    );
  });
});

// ---------------------------------------------------------------------------------------------
// Random interleavings of actions, faults and restarts, over a store whose "disk" outlives
// each instance. The model: the reducer for the state; for the disk, the decisions of the last
// write that succeeded. A failed write (quota) is retried at the next one, which writes the
// latest decisions; a write that hangs leaves the session in memory (resilient-store.ts).

type Fault =
  | { fault: 'quota-next-write' | 'hang-next-write' }
  | { fault: 'restart'; mode: 'ok' | 'throws' | 'rejects' | 'hangs' }
  /** Between sessions: the record is garbled, or a newer SDK wrote it (the app was downgraded). */
  | { fault: 'restart-with-corrupt-record'; raw: unknown }
  | { fault: 'restart-with-newer-record'; v: number };

const fault: fc.Arbitrary<Fault> = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom<Fault>({ fault: 'quota-next-write' }, { fault: 'hang-next-write' }) },
  { weight: 3, arbitrary: fc.constantFrom<'ok' | 'throws' | 'rejects' | 'hangs'>('ok', 'ok', 'ok', 'throws', 'rejects', 'hangs').map((mode): Fault => ({ fault: 'restart', mode })) },
  { weight: 1, arbitrary: fc.jsonValue().filter((raw) => raw !== null).map((raw): Fault => ({ fault: 'restart-with-corrupt-record', raw })) },
  { weight: 1, arbitrary: fc.integer({ min: 2, max: 1000 }).map((v): Fault => ({ fault: 'restart-with-newer-record', v })) },
);

describe.each([['fixture', fixturePolicy()] as const, [SEEDS[0]!.name, SEEDS[0]!.document] as const])('random interleavings of actions and faults: %s', (name, document) => {
  it('every action is reflected at once; restarts restore exactly what reached the disk; a newer record is never overwritten', async () => {
    const key = recordKey(document.policy.id);
    const interleaving = fc.array(fc.oneof({ weight: 3, arbitrary: hostSteps(document) }, { weight: 1, arbitrary: fault }), { minLength: 1, maxLength: 30, size: 'max' });
    await fc.assert(
      fc.asyncProperty(interleaving, async (script) => {
        counts.add('interleavings');
        vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
        const disk = new Map<string, unknown>();
        let mode: 'ok' | 'throws' | 'rejects' | 'hangs' = 'ok';
        let armed: 'quota' | 'hang' | undefined;
        const hangs = hangDetector();
        const never = () => (hangs.hung(), new Promise<never>(() => {}));
        const store: KeyValueStore = {
          kind: 'custom',
          get: (k) => {
            if (mode === 'throws') throw new TypeError('indexedDB is not defined');
            if (mode === 'rejects') return Promise.reject(new DOMException('The operation failed for reasons unrelated to the database itself', 'UnknownError'));
            if (mode === 'hangs') return never();
            return Promise.resolve(structuredClone(disk.get(k)));
          },
          set: (k, value) => {
            if (mode === 'throws') throw new TypeError('indexedDB is not defined');
            if (mode === 'rejects') return Promise.reject(new DOMException('failed', 'UnknownError'));
            if (mode === 'hangs') return never();
            const failure = armed;
            armed = undefined;
            if (failure === 'quota') return Promise.reject(new DOMException('The quota has been exceeded.', 'QuotaExceededError'));
            if (failure === 'hang') return never();
            disk.set(k, structuredClone(value));
            return Promise.resolve();
          },
          del: (k) => (disk.delete(k), Promise.resolve()),
        };

        const model = harness(document);
        let policyIndex = 0;
        let clock = T0;
        let consent!: ConsentInstance;
        let errors: ErrorCode[] = [];
        let expectedErrors: ErrorCode[] = [];
        /** True once this session keeps decisions in memory only (the disk is left alone). */
        let memoryOnly = false;
        /** A write failed over quota: the latest decisions are in memory until the next write. */
        let episode = false;
        let newer: unknown;
        /** The decisions of the last write that reached the disk, when they are still there. */
        let persisted: Decisions | undefined;

        const start = async () => {
          clock += 1000;
          const subjectOnDisk = disk.get(INSTALL_ID_KEY);
          const raw = disk.get(key);
          consent = createConsent({ policy: model.documents[policyIndex], storage: store, now: () => clock });
          errors = errorsOf(consent);
          await hangs.settle(consent.ready);
          const verdict = mode === 'ok' ? readRecord(raw) : undefined;
          memoryOnly = mode !== 'ok' || verdict?.kind === 'newer';
          episode = false;
          expectedErrors = mode !== 'ok' ? ['storage-unavailable']
            : verdict?.kind === 'corrupt' ? ['storage-record-corrupt']
              : verdict?.kind === 'newer' ? ['storage-record-unknown-version'] : [];
          // What the new session starts from: exactly what reached the disk, or nothing.
          if (verdict?.kind === 'ok') {
            counts.add('restarts that restored decisions');
            if (persisted !== undefined) expect(verdict.record.decisions).toEqual(persisted);
          }
          model.state = { policy: model.prepared[policyIndex]!, decisions: verdict?.kind === 'ok' ? verdict.record.decisions : EMPTY_DECISIONS };
          // CH-01 between launches: a policy that changed since the stored agreement without
          // re-asking anything is recorded once at start (a policy_notice), off `ready`'s path.
          // Its write is waited for, or a fault armed next would be taken by it.
          const notice = reduce(model.state, { type: 'load-policy', policy: model.state.policy }, clock);
          if (notice.effects.some((effect) => effect.type === 'persist')) {
            await hangs.settle(new Promise<void>((resolve) => {
              const off = consent.on('decision', (event) => event.kind === 'policy_notice' && (off(), resolve()));
            }));
            model.state = notice.state;
            persisted = model.state.decisions;
            counts.add('policy notices recorded at start');
          }
          if (verdict?.kind === 'corrupt') {
            // Set aside for support and recovery, not deleted.
            expect(disk.get(`${key}/corrupt/${clock}`)).toEqual(raw);
            persisted = undefined;
          }
          if (mode === 'ok' && typeof subjectOnDisk === 'string') expect(consent.state.value.subject).toBe(subjectOnDisk);
          expectSameState(consent, model.state);
          expect(errors).toEqual(expectedErrors);
        };
        const restart = async (next: typeof mode) => {
          consent.destroy();
          mode = next;
          armed = undefined;
          await start();
        };
        await start();

        for (const entry of script) {
          clock += 1000;
          if ('op' in entry) {
            const armedBefore = armed;
            const result = await runStepWrites(consent, model, entry, clock, (promise) => hangs.settle(promise));
            if (entry.op === 'updatePolicy' && result !== 'invalid') policyIndex = entry.variant;
            if (result === 'writes' && !memoryOnly) {
              if (armedBefore === 'quota' && episode) {
                // The save is one update: the write-back it starts with takes the failure, so the
                // save lands in memory too and the episode goes on (reported once already).
                counts.add('faults injected');
              } else if (armedBefore !== undefined) {
                if (!episode) expectedErrors.push('storage-write-failed');
                counts.add('faults injected');
                // A hung write is not stacked on: the session stays in memory. A quota error is retried.
                if (armedBefore === 'hang') memoryOnly = true;
                else episode = true;
              } else {
                persisted = model.state.decisions;
                episode = false;
              }
            }
          } else {
            counts.add(`fault: ${entry.fault}${entry.fault === 'restart' ? ` (${entry.mode})` : ''}`);
            switch (entry.fault) {
              case 'quota-next-write':
                armed = 'quota';
                break;
              case 'hang-next-write':
                armed = 'hang';
                break;
              case 'restart':
                if (entry.mode !== 'ok') counts.add('faults injected');
                await restart(entry.mode);
                break;
              case 'restart-with-corrupt-record':
                if (newer === undefined) {
                  disk.set(key, entry.raw);
                  persisted = undefined;
                  counts.add('faults injected');
                }
                await restart('ok');
                break;
              case 'restart-with-newer-record':
                if (newer === undefined) {
                  newer = record(entry.v, { policyId: document.policy.id });
                  disk.set(key, structuredClone(newer));
                  counts.add('faults injected');
                }
                await restart('ok');
                break;
            }
          }
          expectSameState(consent, model.state);
          expect(errors).toEqual(expectedErrors);
          expect(consent.state.value.storageDegraded).toBe(memoryOnly || episode);
          // The disk: a newer record untouched; otherwise the last write that succeeded.
          if (newer !== undefined) expect(disk.get(key)).toEqual(newer);
          else if (persisted !== undefined) expect(readRecord(disk.get(key))).toMatchObject({ kind: 'ok', record: { decisions: persisted } });
        }
        consent.destroy();
        vi.useRealTimers();
      }),
      {
        numRuns: runs(name === 'fixture' ? 40 : 10),
        // Counterexamples found on 2026-12-04, run first every time: a policy changed between
        // launches is noted at start (its write is waited for), and a save is one update.
        examples: ([
          [{ op: 'updatePolicy', variant: 1 }, { op: 'agree' }, { op: 'updatePolicy', variant: 0 }, { op: 'grant', id: 'account' }, { fault: 'restart', mode: 'ok' }],
          [{ op: 'agree' }, { fault: 'quota-next-write' }, { op: 'updatePolicy', variant: 2 }, { fault: 'restart', mode: 'ok' }, { op: 'recordPermission', id: 'location', status: 'granted' }],
          [{ op: 'agree' }, { op: 'setPurpose', id: 'account', on: false }, { fault: 'quota-next-write' }, { op: 'updatePolicy', variant: 1 }, { fault: 'restart', mode: 'ok' }],
          [{ fault: 'quota-next-write' }, { op: 'grant', id: 'account' }, { fault: 'quota-next-write' }, { op: 'grant', id: 'account' }],
        ] as (HostStep | Fault)[][]).map((script) => [script] as [(HostStep | Fault)[]]),
      },
    );
  });
});
