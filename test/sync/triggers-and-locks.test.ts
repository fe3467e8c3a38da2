import { afterEach, describe, expect, it, vi } from 'vitest';
import { createMemoryReceiptLog } from '../../src/sync/receipt-log.js';
import { acceptAll, makeService, requests, scriptedFetch } from './support.js';

afterEach(() => {
  vi.unstubAllGlobals();
  vi.useRealTimers();
});

/** A window and a document as far as the triggers use them. */
function stubPage() {
  const view = new EventTarget();
  const doc = Object.assign(new EventTarget(), { visibilityState: 'visible' as DocumentVisibilityState });
  vi.stubGlobal('window', view);
  vi.stubGlobal('document', doc);
  const setVisibility = (state: DocumentVisibilityState) => {
    doc.visibilityState = state;
    doc.dispatchEvent(new Event('visibilitychange'));
  };
  return { view, setVisibility };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 20));

describe('flush triggers', () => {
  it('flushes on start only when earlier sessions left receipts pending (FL-01)', async () => {
    stubPage();
    const log = createMemoryReceiptLog();
    const { fetch, calls } = scriptedFetch(acceptAll);
    makeService({ fetch, log }).service.start();
    await settle();
    expect(calls).toEqual([]);
    const offline = makeService({ fetch, log, endpoint: undefined });
    await offline.service.record(requests(1)[0]!);
    makeService({ fetch, log }).service.start();
    await settle();
    expect(calls).toHaveLength(1);
  });

  it('flushes on online, on becoming visible and on the resume signal, past any backoff', async () => {
    const { view, setVisibility } = stubPage();
    let resume = () => {};
    const { fetch, calls } = scriptedFetch(new TypeError('offline'));
    const { service } = makeService({ fetch, resumeSignal: (listener) => ((resume = listener), () => {}) });
    service.start();
    await service.record(requests(1)[0]!);
    await settle();
    expect(calls).toHaveLength(1);
    view.dispatchEvent(new Event('online'));
    await settle();
    expect(calls).toHaveLength(2);
    setVisibility('hidden');
    await settle();
    setVisibility('visible');
    await settle();
    expect(calls).toHaveLength(4); // the keepalive on hidden, then the flush on visible
    resume();
    await settle();
    expect(calls).toHaveLength(5);
    service.stop();
    view.dispatchEvent(new Event('online'));
    resume();
    await settle();
    expect(calls).toHaveLength(5);
  });

  it('sends one keepalive batch when the page is hidden and marks nothing as sent (§4.5)', async () => {
    const { view, setVisibility } = stubPage();
    let up = false;
    const { fetch, calls } = scriptedFetch((call) => (up ? acceptAll(call) : Promise.reject(new TypeError('offline'))));
    const { service } = makeService({ fetch });
    service.start();
    for (const request of requests(2)) await service.record(request);
    await settle();
    up = true;
    const before = calls.length;
    setVisibility('hidden');
    view.dispatchEvent(new Event('pagehide'));
    await settle();
    expect(calls.length).toBe(before + 1);
    expect(calls.at(-1)!.init.keepalive).toBe(true);
    expect(calls.at(-1)!.receipts).toHaveLength(2);
    expect(await service.list('pending')).toHaveLength(2);
  });
});

describe('one flusher across contexts without Web Locks', () => {
  it('a second context skips the flush while the first holds the lease, and nothing is sent twice', async () => {
    const log = createMemoryReceiptLog();
    let release: () => void = () => {};
    const { fetch, calls } = scriptedFetch((call) => new Promise((resolve) => (release = () => resolve(acceptAll(call)))));
    // Random ids, as in production: the lease owner is one.
    const first = makeService({ fetch, log, ids: () => crypto.randomUUID() });
    const second = makeService({ fetch, log, ids: () => crypto.randomUUID() });
    await first.service.record(requests(1)[0]!);
    await settle();
    expect(calls).toHaveLength(1);
    await second.service.flush();
    expect(calls).toHaveLength(1);
    release();
    await settle();
    expect(await log.list()).toEqual([expect.objectContaining({ status: 'acked' })]);
    await new Promise((resolve) => setTimeout(resolve, 2100));
    expect(calls).toHaveLength(1);
  });

  it('uses Web Locks for the flush when the context has them (appends need none: the log refuses a stale one)', async () => {
    const names: string[] = [];
    vi.stubGlobal('navigator', { locks: { request: (name: string, run: () => Promise<unknown>) => (names.push(name), run()) } });
    const { fetch } = scriptedFetch(acceptAll);
    const { service } = makeService({ fetch });
    await service.record(requests(1)[0]!);
    await service.flush();
    expect(names).toEqual(['inapp-consent-flush']);
  });
});
