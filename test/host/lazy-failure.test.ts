import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import { beforeEach, expect, it, vi } from 'vitest';
import { recordKey } from '../../src/core/stored-record.js';
import { createConsent } from '../../src/host/create-consent.js';
import { createIndexedDbStore } from '../../src/storage/indexeddb.js';
import { fixturePolicy } from '../fixtures/policy.js';

// The receipts part is a chunk of its own in the ESM builds; a chunk can fail to load (an app
// update removed it, a flaky network). The decision is persisted before that part is awaited.
vi.mock('../../src/sync/receipt-service.js', () => {
  throw new Error('Failed to fetch dynamically imported module');
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
});
