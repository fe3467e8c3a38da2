import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import { beforeEach, expect, it, vi } from 'vitest';
import { readRecord, recordKey, type StoredRecord } from '../../src/core/stored-record.js';
import { createConsent } from '../../src/host/create-consent.js';
import { createIndexedDbStore } from '../../src/storage/indexeddb.js';
import { verifyReceipt } from '../../src/verify/index.js';
import { fixturePolicy } from '../fixtures/policy.js';

// The receipts part is a chunk of its own in the ESM builds; a chunk can fail to load (an app
// update removed it, a flaky network). The decision is persisted before that part is awaited.
const chunk = vi.hoisted(() => ({ fails: true }));
vi.mock('../../src/sync/receipt-service.js', async (original) => {
  if (chunk.fails) throw new Error('Failed to fetch dynamically imported module');
  return original();
});

beforeEach(() => {
  globalThis.indexedDB = new IDBFactory();
});

it('never loses a decision when the receipts part cannot load: it is stored, and the failure is reported', async () => {
  const consent = createConsent({ policy: fixturePolicy() });
  const errors: string[] = [];
  consent.on('error', (error) => errors.push(error.code));
  await consent.ready;
  await expect(consent.agree()).resolves.toBeUndefined();
  expect(consent.state.value.decision).toBe('agreed');
  expect(await createIndexedDbStore().get(recordKey(fixturePolicy().policy.id))).toMatchObject({ decisions: { basic: { decision: 'agreed' } } });
  expect(errors).toContain('sync-failed');
  expect(await consent.pendingReceipts()).toEqual([]);
  consent.destroy();
});

it('CG-05: the receipt of a decision stored while the receipts part could not load is made at a later start', async () => {
  chunk.fails = true;
  const first = createConsent({ policy: fixturePolicy(), bridge: 'none' });
  await first.ready;
  await first.agree();
  const raw = await createIndexedDbStore().get(recordKey(fixturePolicy().policy.id));
  const listed = (readRecord(raw) as { record: StoredRecord }).record.unreceipted;
  expect(listed?.map((entry) => entry.event.kind)).toEqual(['agree']);
  first.destroy();

  chunk.fails = false;
  vi.resetModules();
  const { createConsent: createAgain } = await import('../../src/host/create-consent.js');
  const later = createAgain({ policy: fixturePolicy(), bridge: 'none' });
  const errors: string[] = [];
  later.on('error', (error) => errors.push(error.code));
  await later.ready;
  // The start (a task after `ready`) loads the part, then receipts what was left listed.
  for (let tries = 0; tries < 100 && (await later.pendingReceipts()).length === 0; tries++) await new Promise((resolve) => setTimeout(resolve, 10));
  expect(errors).toEqual([]);
  const [entry] = await later.pendingReceipts();
  expect(entry?.jti).toBe(listed![0]!.event.id);
  expect(verifyReceipt(entry!.jws).payload.x.event).toMatchObject({ kind: 'agree', type: 'given' });
  await later.dismiss(); // queued after the start's receipting, which then takes the entry off the list
  expect((readRecord(await createIndexedDbStore().get(recordKey(fixturePolicy().policy.id))) as { record: StoredRecord }).record.unreceipted).toBeUndefined();
  later.destroy();
});
