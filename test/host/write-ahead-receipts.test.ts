import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import { createStore, del, set } from 'idb-keyval';
import { beforeEach, describe, expect, it } from 'vitest';
import type { DecisionEvent } from '../../src/core/decision-types.js';
import { readRecord, recordKey, type StoredRecord } from '../../src/core/stored-record.js';
import { createConsent } from '../../src/host/create-consent.js';
import { createMemoryStore } from '../../src/storage/memory.js';
import { createIndexedDbReceiptLog, RECEIPT_DATABASE } from '../../src/sync/receipt-log.js';
import { verifyChain, verifyReceipt } from '../../src/verify/index.js';
import { fixturePolicy } from '../fixtures/policy.js';

/*
 * CG-05 ("nothing a user decided is ever lost") and issue 4 §4 ("receipt and outbox entry
 * written in one transaction before any send"): a decision is stored together with the event
 * its receipt is made from (`unreceipted`, one record, one write), and taken off that list only
 * once the receipt and its outbox entry are written. A kill in between is repaired at the next
 * start: the receipt is made then, and not made twice when it was already written.
 */

const KEY = recordKey('fixture-app');

beforeEach(() => {
  globalThis.indexedDB = new IDBFactory();
});

/** The decisions store of one device (outlives instances), with every record written to it. */
function device() {
  const disk = createMemoryStore();
  const writes: StoredRecord[] = [];
  const storage = {
    kind: 'custom' as const, get: disk.get, del: disk.del,
    async set(key: string, value: unknown) {
      if (key === KEY) writes.push(structuredClone(value) as StoredRecord);
      await disk.set(key, value);
    },
  };
  const open = () => {
    const consent = createConsent({ policy: fixturePolicy(), storage, subject: 'pseudonym', bridge: 'none' });
    const decided: DecisionEvent[] = [];
    consent.on('decision', (event) => decided.push(event));
    return { consent, decided };
  };
  const stored = async () => readRecord(await disk.get(KEY));
  return { disk, writes, open, stored };
}

const log = () => createIndexedDbReceiptLog();
const payloads = async () => (await log().list()).map((entry) => verifyReceipt(entry.jws).payload);
/** Until the instance's start (after `ready`, in a task) has receipted what was left listed. */
async function started(consent: ReturnType<typeof createConsent>, disk: ReturnType<typeof createMemoryStore>) {
  await consent.ready;
  for (let tries = 0; tries < 500; tries++) {
    const read = readRecord(await disk.get(KEY));
    if (read.kind === 'ok' && read.record.unreceipted === undefined) break;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  // Anything the start queued settles before an action queued now.
  await consent.dismiss();
}

describe('write-ahead receipts (CG-05; issue 4 §4: receipt and outbox entry in one transaction before any send)', () => {
  it('stores each decision in one write with the event its receipt is made from, and takes it off once the receipt is written', async () => {
    const { writes, open, stored } = device();
    const { consent, decided } = open();
    await consent.ready;
    await consent.agree();
    const [event] = decided;
    expect(event?.id).toMatch(/^[0-9a-f-]{36}$/);
    // The decision's own write carries the event: there is no moment with the decision and not the event.
    const first = writes.find((record) => record.decisions.basic.decision === 'agreed')!;
    expect(first.unreceipted).toEqual([{ event, before: expect.objectContaining({ basic: { decision: 'undecided' } }), after: first.decisions }]);
    // Receipt written: taken off the list, and the receipt's jti is the event's id.
    const after = await stored();
    expect(after.kind === 'ok' && after.record.unreceipted).toBeUndefined();
    expect((await consent.pendingReceipts()).map((entry) => entry.jti)).toEqual([event!.id]);
    consent.destroy();
  });

  it('killed after the decision was stored and before its receipt: the next start makes that receipt, once, on the same chain', async () => {
    const { disk, writes, open } = device();
    const { consent: first } = open();
    await first.ready;
    await first.agree();
    await first.setPurpose('marketing', true);
    const head = await log().head();
    writes.length = 0;
    await first.withdraw('marketing');
    first.destroy();
    // What the disk held at the kill: the decision's write (with its event), and no receipt:
    // the receipt transaction and the list update after it never happened.
    const [walWrite] = writes;
    expect(walWrite?.unreceipted).toHaveLength(1);
    const receipts = createStore(RECEIPT_DATABASE, 'receipts');
    await del(['receipt', head.ord + 1], receipts);
    await set('head', head, receipts);
    await disk.set(KEY, walWrite);
    expect((await payloads()).map((payload) => payload.x.event.type)).toEqual(['given', 'given']);

    const { consent: second } = open();
    await started(second, disk);
    expect(second.isGranted('marketing')).toBe(false);
    const made = await payloads();
    // State and last receipt agree: the withdrawal is proven, under the event's id, chained on.
    expect(made.map((payload) => payload.x.event.type)).toEqual(['given', 'given', 'withdrawn']);
    expect(made[2]!.jti).toBe(walWrite!.unreceipted![0]!.event.id);
    expect(verifyChain((await log().list()).map((entry) => entry.jws))).toMatchObject({ valid: true, chains: [expect.objectContaining({ length: 3 })] });
    expect(readRecord(await disk.get(KEY))).toMatchObject({ kind: 'ok', record: { decisions: { purposes: { marketing: { granted: false } } } } });
    expect((readRecord(await disk.get(KEY)) as { record: StoredRecord }).record.unreceipted).toBeUndefined();
    second.destroy();

    // A third start finds nothing left to do.
    const { consent: third } = open();
    await started(third, disk);
    expect(await log().list()).toHaveLength(3);
    third.destroy();
  });

  it('killed after the receipt was written and before it came off the list: the next start recognises it by jti and signs nothing twice', async () => {
    const { disk, writes, open } = device();
    const { consent: first } = open();
    await first.ready;
    await first.agree();
    writes.length = 0;
    await first.grant('face_consent');
    first.destroy();
    // The receipt transaction committed; the list update after it did not.
    await disk.set(KEY, writes[0]);
    expect(await log().list()).toHaveLength(2);

    const { consent: second } = open();
    await started(second, disk);
    const entries = await log().list();
    expect(entries).toHaveLength(2);
    expect(new Set(entries.map((entry) => entry.jti)).size).toBe(2);
    expect((readRecord(await disk.get(KEY)) as { record: StoredRecord }).record.unreceipted).toBeUndefined();
    expect(second.isGranted('face_consent')).toBe(true);
    second.destroy();
  });

  it('a decision listed by another tab is receipted once, by whichever writes first, and the list ends empty', async () => {
    const { disk, open } = device();
    const { consent: a } = open();
    const { consent: b } = open();
    await Promise.all([a.ready, b.ready]);
    await a.agree();
    // As if A had stored a decision and not yet receipted it when B saved (the list is merged).
    const record = (readRecord(await disk.get(KEY)) as { record: StoredRecord }).record;
    const pendingOfA = { ...record, unreceipted: [{ event: { kind: 'purpose', surface: 'privacy_center', at: Date.now(), policyId: 'fixture-app', policyVersion: '1.0', policyHash: record.decisions.basic.policyHash!, changes: [], id: '00000000-0000-4000-8000-00000000000a' }, before: record.decisions, after: record.decisions }] };
    await disk.set(KEY, pendingOfA);
    await b.setPurpose('marketing', true);
    const jtis = (await log().list()).map((entry) => entry.jti);
    expect(jtis).toContain('00000000-0000-4000-8000-00000000000a');
    expect(jtis).toHaveLength(3);
    expect((readRecord(await disk.get(KEY)) as { record: StoredRecord }).record.unreceipted).toBeUndefined();
    a.destroy();
    b.destroy();
  });

  it('a damaged listed entry is reported and kept (never dropped); the decisions stand and the other entries are receipted', async () => {
    const { disk, open } = device();
    const { consent: first } = open();
    await first.ready;
    await first.agree();
    first.destroy();
    const record = (readRecord(await disk.get(KEY)) as { record: StoredRecord }).record;
    const good = { event: { kind: 'purpose', surface: 'privacy_center', at: Date.now(), policyId: 'fixture-app', policyVersion: '1.0', policyHash: record.decisions.basic.policyHash!, changes: [], id: '00000000-0000-4000-8000-00000000000b' }, before: record.decisions, after: record.decisions };
    const broken = { event: { id: 'x' } };
    await disk.set(KEY, { ...record, unreceipted: [broken, null, good] });

    const { consent: second } = open();
    const errors: string[] = [];
    second.on('error', (error) => errors.push(error.code));
    await second.ready;
    for (let tries = 0; tries < 500; tries++) {
      const listed = (readRecord(await disk.get(KEY)) as { record: StoredRecord }).record.unreceipted;
      if (listed?.length === 2) break;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    expect(second.state.value.decision).toBe('agreed');
    expect(errors).toEqual(['storage-write-failed', 'storage-write-failed']); // one per damaged entry; the signer is kept
    const made = (await log().list()).find((entry) => entry.jti === good.event.id);
    expect(verifyReceipt(made!.jws).payload.x.signer).toBe('device'); // a damaged input is no signer failure
    expect((readRecord(await disk.get(KEY)) as { record: StoredRecord }).record.unreceipted).toEqual([broken, null]);
    second.destroy();
  });
});
