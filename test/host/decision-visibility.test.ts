/**
 * WD-01: a decision is what readers see from the moment it is dispatched — isGranted, the state
 * signal and the change event — while its local save and receipt run behind it, in order.
 */
import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import { beforeEach, describe, expect, it } from 'vitest';
import type { DecisionEvent } from '../../src/core/decision-types.js';
import type { ConsentError } from '../../src/core/errors.js';
import { readRecord, recordKey } from '../../src/core/stored-record.js';
import { createConsent } from '../../src/host/create-consent.js';
import { createMemoryStore } from '../../src/storage/memory.js';
import { fixturePolicy } from '../fixtures/policy.js';
import { withChangedPurpose } from '../helpers/state.js';

beforeEach(() => {
  globalThis.indexedDB = new IDBFactory();
});

/**
 * A store shared by two tabs; `storage` answers only once released while held (a slow disk:
 * reads too, or a save's read-merge-write would span the other tab's write, a documented race).
 */
function slowDisk() {
  const disk = createMemoryStore();
  let held: Promise<void> | undefined;
  let release = () => {};
  const storage = {
    kind: 'custom' as const,
    get: async (key: string) => (await held, disk.get(key)),
    set: async (key: string, value: unknown) => (await held, disk.set(key, value)),
    del: async (key: string) => (await held, disk.del(key)),
  };
  return {
    disk, storage,
    /** The same disk, never slow (another tab's view of it). */
    fast: { kind: 'custom' as const, get: disk.get, set: disk.set, del: disk.del },
    hold: () => void (held = new Promise<void>((resolve) => (release = resolve))),
    release: () => release(),
  };
}

const stored = async (disk: ReturnType<typeof createMemoryStore>) => {
  const read = readRecord(await disk.get(recordKey('fixture-app')));
  if (read.kind !== 'ok') throw new Error(`no record: ${read.kind}`);
  return read.record;
};

describe('WD-01: a decision is visible when it is dispatched', () => {
  it('WD-01: a withdrawal is visible to isGranted in the same tick', async () => {
    const consent = createConsent({ policy: fixturePolicy() });
    await consent.agree();
    await consent.grant('marketing');
    const seen: (boolean | undefined)[] = [];
    consent.subscribe((snapshot) => seen.push(snapshot.granted.marketing));
    const withdrawing = consent.withdraw('marketing');
    expect(consent.isGranted('marketing')).toBe(false);
    expect(consent.state.value.granted.marketing).toBe(false);
    expect(seen).toEqual([false]);
    await withdrawing;
    // One change event per decision, as before: the save added nothing to show.
    expect(seen).toEqual([false]);
    consent.destroy();
  });

  it('WD-01: a withdrawal right behind a grant still being saved and receipted is visible at once; both are stored and receipted, in order', async () => {
    const consent = createConsent({ policy: fixturePolicy() });
    const events: DecisionEvent[] = [];
    consent.on('decision', (event) => events.push(event));
    await consent.agree();
    const granting = consent.grant('marketing');
    expect(consent.isGranted('marketing')).toBe(true);
    const withdrawing = consent.withdraw('marketing');
    expect(consent.isGranted('marketing')).toBe(false);
    await Promise.all([granting, withdrawing]);
    expect(consent.isGranted('marketing')).toBe(false);
    expect(events.map((event) => [event.kind, event.changes.map((change) => [change.id, 'granted' in change && change.granted])])).toEqual([
      ['agree', [['account', true]]], ['purpose', [['marketing', true]]], ['purpose', [['marketing', false]]],
    ]);
    const receipts = await consent.pendingReceipts();
    expect(receipts.map((entry) => entry.jti)).toEqual(events.map((event) => event.id));
    consent.destroy();
    const restarted = createConsent({ policy: fixturePolicy() });
    await restarted.ready;
    expect([restarted.isGranted('account'), restarted.isGranted('marketing')]).toEqual([true, false]);
    restarted.destroy();
  });

  it('WD-01: decisions dispatched before ready are applied in order when stored decisions are restored, before ready resolves', async () => {
    const consent = createConsent({ policy: fixturePolicy(), storage: 'memory' });
    const actions = [consent.agree(), consent.grant('marketing'), consent.withdraw('marketing')];
    expect(consent.isGranted('account')).toBe(false); // nothing is granted before ready
    await consent.ready;
    expect([consent.isGranted('account'), consent.isGranted('marketing')]).toEqual([true, false]);
    await Promise.all(actions);
    expect([consent.isGranted('account'), consent.isGranted('marketing')]).toEqual([true, false]);
  });

  it('WD-01: a decision whose save fails is visible at once, kept, and the failure reported as before', async () => {
    const disk = createMemoryStore();
    let failing = false;
    const storage = { kind: 'custom' as const, get: disk.get, del: disk.del, set: (key: string, value: unknown) => (failing ? Promise.reject(new Error('quota')) : disk.set(key, value)) };
    const consent = createConsent({ policy: fixturePolicy(), storage, subject: 'pseudonym' });
    const errors: ConsentError[] = [];
    consent.on('error', (error) => errors.push(error));
    await consent.agree();
    await consent.grant('marketing');
    failing = true;
    const withdrawing = consent.withdraw('marketing');
    expect(consent.isGranted('marketing')).toBe(false);
    await withdrawing;
    expect(consent.isGranted('marketing')).toBe(false);
    expect(consent.state.value.storageDegraded).toBe(true);
    expect(errors.map((error) => error.code)).toEqual(['storage-write-failed']);
    // Written back at the next save that reaches storage.
    failing = false;
    await consent.grant('face_consent');
    expect((await stored(disk)).decisions.purposes.marketing).toMatchObject({ granted: false });
    expect(consent.state.value.storageDegraded).toBe(false);
    consent.destroy();
  });

  it('CH-01: a decision dispatched while a policy update is being hashed waits for it and applies to the new policy', async () => {
    const consent = createConsent({ policy: fixturePolicy(), storage: 'memory' });
    await consent.agree();
    const updating = consent.updatePolicy(withChangedPurpose(fixturePolicy(), 'account', '账号与安全'));
    const agreeing = consent.agreeChanges();
    await Promise.all([updating, agreeing]);
    expect(consent.needsConsent).toBe(false);
    expect(consent.isGranted('account')).toBe(true);
    // Once applied, the next decision is visible at once again.
    void consent.withdraw('marketing');
    expect(consent.isGranted('marketing')).toBe(false);
  });

  it('CG-05: another tab\'s decision, stored while ours wait to be saved, is merged in: ours stay visible throughout, the record holds both, one receipt each', async () => {
    const { disk, storage, fast, hold, release } = slowDisk();
    const a = createConsent({ policy: fixturePolicy(), storage: fast, subject: 'pseudonym' });
    const b = createConsent({ policy: fixturePolicy(), storage, subject: 'pseudonym' });
    await Promise.all([a.ready, b.ready]);
    // Both receipts parts loaded: each tab hears the other's saves.
    await Promise.all([a.pendingReceipts(), b.pendingReceipts()]);
    const bDecided: DecisionEvent[] = [];
    b.on('decision', (event) => bDecided.push(event));

    hold();
    const bActions = [b.agree(), b.grant('marketing')];
    expect([b.isGranted('account'), b.isGranted('marketing')]).toEqual([true, true]);
    // A decides while B's first save waits on the disk; B queues the adoption behind it.
    await a.recordPermission('location', 'denied');
    await new Promise((resolve) => setTimeout(resolve, 20));
    bActions.push(b.withdraw('marketing'));
    expect([b.isGranted('account'), b.isGranted('marketing')]).toEqual([true, false]);
    release();
    await Promise.all(bActions);
    for (let tries = 0; tries < 100 && b.state.value.permissions.location !== 'denied'; tries++) await new Promise((resolve) => setTimeout(resolve, 10));

    expect(b.state.value).toMatchObject({ decision: 'agreed', permissions: { location: 'denied' }, granted: { account: true, marketing: false } });
    const record = await stored(disk);
    expect(record.decisions).toMatchObject({ basic: { decision: 'agreed' }, purposes: { marketing: { granted: false } }, permissions: { location: { status: 'denied' } } });
    expect(record.unreceipted ?? []).toEqual([]);
    // Exactly one receipt per decision: B's three and A's one.
    expect(bDecided.map((event) => event.kind)).toEqual(['agree', 'purpose', 'purpose']);
    expect((await b.pendingReceipts()).map((entry) => entry.jti).sort()).toHaveLength(4);
    a.destroy();
    b.destroy();
  });
});
