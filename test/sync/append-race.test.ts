import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import { randomUUID } from 'node:crypto';
import { beforeEach, describe, expect, it } from 'vitest';
import { createIndexedDbReceiptLog } from '../../src/sync/receipt-log.js';
import { makeService, requests } from './support.js';

// Two contexts of one origin append to one receipt log. Where Web Locks are missing (Node here;
// Android WebView < 69, iOS < 15.4, pages that are not secure contexts) nothing serialises them:
// both can read the same head, and the second write used to replace the first one's receipt.

beforeEach(() => {
  globalThis.indexedDB = new IDBFactory();
});

describe('appending from two contexts without Web Locks', () => {
  it('CG-05: no receipt is lost: a write after a stale head is refused whole and signed again for the next position', async () => {
    expect((globalThis as { navigator?: { locks?: unknown } }).navigator?.locks).toBeUndefined();
    const tab = () => makeService({ log: createIndexedDbReceiptLog('race'), ids: () => randomUUID(), endpoint: undefined });
    const [a, b] = [tab(), tab()];
    const made = await Promise.all(requests(6).flatMap((request, index) => [a.service.record(request), b.service.record({ ...request, event: { ...request.event, id: `b-${index}` } })]));
    expect(made.every(Boolean)).toBe(true);
    expect([...a.errors, ...b.errors]).toEqual([]);

    const stored = await createIndexedDbReceiptLog('race').list();
    // Every receipt made is in the log, each at its own position.
    expect(stored.map((entry) => entry.jti).sort()).toEqual(made.map((entry) => entry!.jti).sort());
    expect(stored.map((entry) => entry.ord)).toEqual(Array.from({ length: 12 }, (_, index) => index + 1));
    // Per signing key, the chain has no fork: each tab's receipts verify in order.
    for (const kid of new Set(stored.map((entry) => entry.kid))) {
      const chain = stored.filter((entry) => entry.kid === kid);
      expect(chain.map((entry) => entry.seq)).toEqual(chain.map((_, index) => index + 1));
    }
    expect(a.receipts.length + b.receipts.length).toBe(12);
  });
});
