import { appendFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLocalJWKSet, jwtVerify } from 'jose';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startReceiver, type Receiver } from '../../examples/receiver/receiver.js';
import { testSigner } from '../receipts/support.js';
import { chainOf, withPayload } from './support.js';

let dataDir: string;
let receiver: Receiver | undefined;
beforeEach(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'receiver-'));
});
afterEach(async () => {
  await receiver?.close();
  receiver = undefined;
  await rm(dataDir, { recursive: true, force: true });
});

const post = async (body: unknown, query = '', type = 'application/json') => {
  const response = await fetch(`${receiver!.url}/receipts${query}`, { method: 'POST', headers: { 'content-type': type }, body: typeof body === 'string' ? body : JSON.stringify(body) });
  return { status: response.status, retryAfter: response.headers.get('retry-after'), body: (await response.json()) as Record<string, any> };
};

describe('the reference receiver', () => {
  it('accepts a batch in order, countersigns each receipt with a key published as JWKS', async () => {
    receiver = await startReceiver({ dataDir });
    const { receipts } = await chainOf(await testSigner(), 3);
    const { status, body } = await post(receipts);
    expect(status).toBe(200);
    expect(body.results.map((r: { status: string }) => r.status)).toEqual(['accepted', 'accepted', 'accepted']);
    const jwks = await (await fetch(`${receiver.url}/.well-known/jwks.json`)).json();
    const { payload, protectedHeader } = await jwtVerify(body.results[2].ack, createLocalJWKSet(jwks), { algorithms: ['ES256'], typ: 'consent-ack+jwt' });
    expect(protectedHeader.kid).toBe(jwks.keys[0].kid);
    expect(payload).toMatchObject({ jti: '00000000-0000-4000-8000-000000000003', seq: 3, iss: receiver.url });
  });

  it('answers a replay as duplicate with the original ack, and a reused jti with other bytes as rejected', async () => {
    receiver = await startReceiver({ dataDir });
    const { receipts } = await chainOf(await testSigner(), 1);
    const first = await post(receipts);
    const again = await post(receipts[0]!, '', 'application/jwt');
    expect(again.body.results[0]).toEqual({ jti: first.body.results[0].jti, status: 'duplicate', ack: first.body.results[0].ack });
    const other = (await chainOf(await testSigner(), 1)).receipts[0]!; // same jti, fresh ECDSA signature
    expect((await post([other])).body.results[0]).toMatchObject({ status: 'rejected', reason: 'jti already used for a different receipt' });
  });

  it('answers 409 with expectedSeq on a gap, and accepts once the chain is resent from there', async () => {
    receiver = await startReceiver({ dataDir });
    const { receipts: [a, b, c] } = await chainOf(await testSigner(), 3);
    await post([a]);
    const gap = await post([c]);
    expect(gap.status).toBe(409);
    expect(gap.body).toMatchObject({ expectedSeq: 2, kid: expect.any(String), results: [{ status: 'gap', expectedSeq: 2 }] });
    expect((await post([b, c])).body.results.map((r: { status: string }) => r.status)).toEqual(['accepted', 'accepted']);
  });

  it('rejects a tampered receipt, a fork of the chain and garbage, per receipt', async () => {
    receiver = await startReceiver({ dataDir });
    const signer = await testSigner();
    const { receipts: [a, b] } = await chainOf(signer, 2);
    const tampered = withPayload(a!, (payload) => (payload.sub = 'someone-else'));
    const { body } = await post([tampered, 'junk', a, b]);
    expect(body.results.map((r: { status: string }) => r.status)).toEqual(['rejected', 'rejected', 'accepted', 'accepted']);
    expect(body.results[0]).toMatchObject({ jti: '00000000-0000-4000-8000-000000000001', reason: expect.stringMatching(/does not verify/) });
    const { receipts: [, fork] } = await chainOf(signer, 2, { ids: () => crypto.randomUUID() });
    expect((await post([fork])).body.results[0]).toMatchObject({ status: 'rejected', reason: expect.stringMatching(/chain conflict/) });
    expect((await post({ nope: 1 })).status).toBe(400);
  });

  it('keeps receipts append-only on disk and restores chain heads after a restart (and skips a torn line)', async () => {
    receiver = await startReceiver({ dataDir });
    const { receipts } = await chainOf(await testSigner(), 3);
    const first = await post(receipts.slice(0, 2));
    await receiver.close();
    await appendFile(join(dataDir, 'receipts.jsonl'), '{"jti":"torn');
    receiver = await startReceiver({ dataDir });
    const lines = (await readFile(join(dataDir, 'receipts.jsonl'), 'utf8')).trim().split('\n');
    expect(lines).toHaveLength(3);
    expect((await post([receipts[1]])).body.results[0]).toEqual({ jti: expect.any(String), status: 'duplicate', ack: first.body.results[1].ack });
    expect((await post([receipts[2]])).body.results[0].status).toBe('accepted');
  });

  it('lists receipts per device with verification and chain status, read-only, with CORS', async () => {
    receiver = await startReceiver({ dataDir });
    await post((await chainOf(await testSigner(), 2)).receipts);
    const response = await fetch(`${receiver.url}/receipts`);
    expect(response.headers.get('access-control-allow-origin')).toBe('*');
    const listing = await response.json();
    expect(listing.devices).toEqual([expect.objectContaining({ count: 2, headSeq: 2, sub: 'install-1', chain: { valid: true, problems: [] } })]);
    expect(listing.devices[0].receipts.map((r: { seq: number; event: { type: string } }) => [r.seq, r.event.type])).toEqual([[1, 'given'], [2, 'given']]);
    const preflight = await fetch(`${receiver.url}/receipts`, { method: 'OPTIONS' });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-headers')).toContain('idempotency-key');
  });

  it('shows a receipt edited on disk as a broken chain in the listing', async () => {
    receiver = await startReceiver({ dataDir });
    await post((await chainOf(await testSigner(), 2)).receipts);
    await receiver.close();
    const file = join(dataDir, 'receipts.jsonl');
    const [first, second] = (await readFile(file, 'utf8')).trim().split('\n').map((line) => JSON.parse(line));
    first.jws = withPayload(first.jws, (payload) => (payload.x = { ...(payload.x as object), decisions: [] }));
    await writeFile(file, `${JSON.stringify(first)}\n${JSON.stringify(second)}\n`);
    receiver = await startReceiver({ dataDir });
    const listing = await (await fetch(`${receiver.url}/receipts`)).json();
    expect(listing.devices[0].chain.valid).toBe(false);
    expect(listing.devices[0].chain.problems[0]).toMatchObject({ path: '[0]', message: expect.stringMatching(/does not verify/) });
  });

  it('plays fault modes: 503 with Retry-After for N requests, a 409, or one request by query', async () => {
    receiver = await startReceiver({ dataDir, fault: { status: 503, retryAfter: 2, times: 2 } });
    const { receipts } = await chainOf(await testSigner(), 1);
    expect(await post(receipts)).toMatchObject({ status: 503, retryAfter: '2' });
    expect((await post(receipts)).status).toBe(503);
    expect((await post(receipts)).status).toBe(200);
    expect((await post(receipts, '?fault=500')).status).toBe(500);
    receiver.setFault({ status: 409, expectedSeq: 7 });
    expect(await post(receipts)).toMatchObject({ status: 409, body: { expectedSeq: 7 } });
    expect(receiver.requests.filter((r) => r.method === 'POST').map((r) => r.status)).toEqual([503, 503, 200, 500, 409]);
  });
});
