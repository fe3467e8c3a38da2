import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import { beforeEach, expect, it } from 'vitest';
import { createConsent } from '../../src/host/create-consent.js';
import { createMemoryStore } from '../../src/storage/memory.js';
import { verifyReceipt } from '../../src/verify/index.js';
import { fixturePolicy } from '../fixtures/policy.js';

beforeEach(() => {
  globalThis.indexedDB = new IDBFactory();
});

// Two tabs (or webviews) opened at once on a fresh origin each make an install id; the last
// write wins. Receipts must still name one pseudonymous subject: the receiver binds a device
// key to one subject and quarantines receipts signed for another.
it('CG-07: two instances started at once on a fresh device sign their receipts for one install id', async () => {
  const disk = createMemoryStore();
  const storage = { kind: 'custom' as const, get: disk.get, set: disk.set, del: disk.del };
  const [a, b] = [createConsent({ policy: fixturePolicy(), storage, bridge: 'none' }), createConsent({ policy: fixturePolicy(), storage, bridge: 'none' })];
  await Promise.all([a.ready, b.ready]);
  const stored = await disk.get('inapp-consent/v1/install-id');
  expect(typeof stored).toBe('string');
  await a.agree();
  await b.setPurpose('marketing', true);
  const subjects = [...(await a.pendingReceipts()), ...(await b.pendingReceipts())].map((entry) => verifyReceipt(entry.jws).payload.sub);
  expect(subjects.length).toBeGreaterThan(0);
  expect(new Set(subjects)).toEqual(new Set([stored]));
  expect([a.state.value.subject, b.state.value.subject]).toEqual([stored, stored]);
  a.destroy();
  b.destroy();
});
