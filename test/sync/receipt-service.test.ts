import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createMemoryReceiptLog, type ReceiptLog } from '../../src/sync/receipt-log.js';
import { createResilientLog } from '../../src/sync/resilient-log.js';
import { verifyChain, verifyReceipt } from '../../src/verify/index.js';
import { startReceiver } from '../../examples/receiver/receiver.js';
import { T0 } from '../receipts/support.js';
import { acceptAll, jtiOf, makeService, requests, scriptedFetch } from './support.js';

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
  vi.setSystemTime(T0);
});
afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllGlobals();
});

const codes = (errors: { code: string }[]) => errors.map((error) => error.code);

describe('receipt service: recording', () => {
  it('signs, chains and stores each receipt before any send, and sends it with its jti as Idempotency-Key', async () => {
    let storedAtSend: string[] = [];
    const log = createMemoryReceiptLog();
    const { fetch, calls } = scriptedFetch(async (call) => {
      storedAtSend = (await log.list()).map((entry) => entry.jti);
      return acceptAll(call);
    });
    const { service, receipts } = makeService({ fetch, log });
    const [agree] = requests(1);
    const entry = await service.record(agree!);
    await service.flush();
    expect(calls).toHaveLength(1);
    expect(storedAtSend).toEqual([entry!.jti]);
    expect(calls[0]!.receipts).toEqual([entry!.jws]);
    expect(calls[0]!.headers['idempotency-key']).toBe(entry!.jti);
    expect(calls[0]!.init).toMatchObject({ method: 'POST', credentials: 'omit' });
    expect(receipts.map((r) => r.jti)).toEqual([entry!.jti]);
    expect(verifyReceipt(entry!.jws).payload.x).toMatchObject({ signer: 'ephemeral', keyEphemeral: true, chain: { seq: 1, prev: null } });
    expect(await service.list('acked')).toEqual([expect.objectContaining({ jti: entry!.jti, ack: `ack-${entry!.jti}` })]);
  });

  it('keeps receipts on the device when there is no endpoint, and sends nothing', async () => {
    const { fetch, calls } = scriptedFetch();
    const { service } = makeService({ fetch, endpoint: undefined });
    for (const request of requests(3)) await service.record(request);
    service.start();
    await service.flush();
    expect(calls).toEqual([]);
    const pending = await service.list('pending');
    expect(verifyChain(pending.map((entry) => entry.jws)).valid).toBe(true);
  });

  it('never throws into the host and never loses a receipt when the log fails: memory takes over', async () => {
    const broken: ReceiptLog = { ...createMemoryReceiptLog(), kind: 'indexeddb', append: () => Promise.reject(new DOMException('quota', 'QuotaExceededError')) };
    const errors: { code: string }[] = [];
    const { fetch, calls } = scriptedFetch(acceptAll);
    const { service } = makeService({ fetch, log: createResilientLog(broken, (error) => errors.push(error)) });
    const entry = await service.record(requests(1)[0]!);
    await service.flush();
    expect(entry).toBeDefined();
    expect(codes(errors)).toEqual(['storage-write-failed']);
    expect(calls[0]!.receipts).toEqual([entry!.jws]);
  });
});

describe('receipt service: retry rules', () => {
  it('retries a network error with full-jitter backoff, reports the outage once, then delivers', async () => {
    const { fetch, calls } = scriptedFetch(new TypeError('Failed to fetch'), new TypeError('Failed to fetch'), acceptAll);
    const { service, errors } = makeService({ fetch });
    await service.record(requests(1)[0]!);
    await service.flush();
    let [entry] = await service.list('pending');
    expect(entry).toMatchObject({ attempts: 1, lastError: 'network: Failed to fetch', nextAttemptAt: T0 + 1000 });
    await vi.advanceTimersByTimeAsync(999);
    expect(calls).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(calls).toHaveLength(2);
    [entry] = await service.list('pending');
    expect(entry).toMatchObject({ attempts: 2, nextAttemptAt: T0 + 1000 + 2000 });
    await vi.advanceTimersByTimeAsync(2000);
    expect(calls).toHaveLength(3);
    expect(await service.list('pending')).toEqual([]);
    expect(codes(errors)).toEqual(['sync-failed']);
  });

  it('honours Retry-After: a forced flush waits for it, the timer sends when it ends', async () => {
    const { fetch, calls } = scriptedFetch(new Response('{}', { status: 503, headers: { 'retry-after': '30' } }), acceptAll);
    const { service } = makeService({ fetch });
    await service.record(requests(1)[0]!);
    await service.flush();
    await vi.advanceTimersByTimeAsync(29_000);
    await service.flush();
    expect(calls).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(calls).toHaveLength(2);
    expect(await service.list('acked')).toHaveLength(1);
  });

  it.each([408, 425, 429, 500, 503])('retries HTTP %i', async (status) => {
    const { fetch, calls } = scriptedFetch(new Response('', { status }), acceptAll);
    const { service } = makeService({ fetch });
    await service.record(requests(1)[0]!);
    await service.flush();
    expect(await service.list('pending')).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1000);
    expect(calls).toHaveLength(2);
    expect(await service.list('acked')).toHaveLength(1);
  });

  it.each([400, 401, 403, 422])('moves the batch to the dead letters on HTTP %i, raises receipt-rejected, and stops sending it', async (status) => {
    const { fetch, calls } = scriptedFetch(Response.json({ error: 'nope' }, { status }));
    const { service, errors } = makeService({ fetch });
    await service.record(requests(1)[0]!);
    await service.flush();
    await service.flush();
    await vi.advanceTimersByTimeAsync(600_000);
    expect(calls).toHaveLength(1);
    expect(await service.list('dead')).toEqual([expect.objectContaining({ lastError: `HTTP ${status}: nope` })]);
    expect(codes(errors)).toEqual(['receipt-rejected']);
  });

  it('sends what accumulated offline as one batch, oldest first', async () => {
    let online = false;
    const { fetch, calls } = scriptedFetch((call) => {
      if (!online) throw new TypeError('offline');
      return acceptAll(call);
    });
    const { service } = makeService({ fetch });
    for (const request of requests(3)) await service.record(request);
    await service.flush();
    expect(calls.map((call) => call.receipts.length)).toEqual([1, 2, 3]);
    online = true;
    await vi.advanceTimersByTimeAsync(60_000);
    expect(calls).toHaveLength(4);
    const last = calls.at(-1)!;
    expect(last.receipts.map((jws) => verifyReceipt(jws).payload.x.chain.seq)).toEqual([1, 2, 3]);
    expect(last.headers['idempotency-key']).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(await service.list('acked')).toHaveLength(3);
  });
});

describe('receipt service against the reference receiver', () => {
  let dataDir: string;
  beforeEach(async () => {
    vi.useRealTimers();
    dataDir = await mkdtemp(join(tmpdir(), 'receiver-'));
  });
  afterEach(() => rm(dataDir, { recursive: true, force: true }));

  it('resends from expectedSeq when the server lost receipts (restored from an old backup)', async () => {
    const first = await startReceiver({ dataDir: join(dataDir, 'a') });
    const { service, errors } = makeService({ endpoint: `${first.url}/receipts`, fetch: globalThis.fetch, now: Date.now });
    const [r1, r2, r3, r4] = requests(4);
    for (const request of [r1!, r2!, r3!]) await service.record(request);
    await service.flush();
    expect(await service.list('acked')).toHaveLength(3);
    await first.close();
    const second = await startReceiver({ dataDir: join(dataDir, 'b'), port: first.port });
    await service.record(r4!);
    await service.flush();
    const listing = await (await fetch(`${second.url}/receipts`)).json();
    expect(listing.devices[0]).toMatchObject({ count: 4, headSeq: 4, chain: { valid: true } });
    expect(await service.list('acked')).toHaveLength(4);
    expect(second.requests.filter((r) => r.method === 'POST').map((r) => r.status)).toEqual([409, 200]);
    expect(codes(errors)).toEqual([]);
    await second.close();
  });

  it('files a tampered receipt as a dead letter with the receiver\'s reason', async () => {
    const receiver = await startReceiver({ dataDir });
    const tamper: typeof fetch = (url, init) => {
      const [jws] = JSON.parse(String(init!.body)) as string[];
      const [h, p, s] = jws!.split('.');
      const payload = JSON.parse(Buffer.from(p!, 'base64url').toString());
      payload.x.decisions = [];
      return fetch(url, { ...init, body: JSON.stringify([`${h}.${Buffer.from(JSON.stringify(payload)).toString('base64url')}.${s}`]) });
    };
    const { service, errors } = makeService({ endpoint: `${receiver.url}/receipts`, fetch: tamper, now: Date.now });
    const entry = await service.record(requests(1)[0]!);
    await service.flush();
    expect(await service.list('dead')).toEqual([expect.objectContaining({ jti: entry!.jti, lastError: expect.stringMatching(/^rejected: .*signature does not verify/) })]);
    expect(codes(errors)).toEqual(['receipt-rejected']);
    expect(jtiOf(entry!.jws)).toBe(entry!.jti);
    await receiver.close();
  });
});
