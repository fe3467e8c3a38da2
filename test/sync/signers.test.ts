import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import { createStore, get } from 'idb-keyval';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ConsentError } from '../../src/core/errors.js';
import { jwkThumbprint } from '../../src/core/receipt-jws.js';
import type { HostSigner } from '../../src/core/receipt-types.js';
import { chooseSigner } from '../../src/crypto/choose-signer.js';
import { KEY_DATABASE, loadDeviceSigner } from '../../src/crypto/device-signer.js';
import { verifyReceipt } from '../../src/verify/index.js';
import TEST_KEY from '../fixtures/receipts/test-key.json';
import { TEST_JWK, testSigner } from '../receipts/support.js';
import { makeService, requests } from './support.js';

beforeEach(() => {
  globalThis.indexedDB = new IDBFactory();
});
afterEach(() => vi.unstubAllGlobals());

const collect = () => {
  const errors: ConsentError[] = [];
  return { errors, report: (error: ConsentError) => errors.push(error) };
};

/** The test key as a host (native) signer. */
async function testHostSigner(use?: 'always'): Promise<HostSigner> {
  const signer = await testSigner();
  return { ...(use ? { use } : {}), publicKey: async () => ({ ...TEST_KEY.jwk, d: undefined }) as never, sign: signer.sign };
}

describe('the device signer', () => {
  it('creates a non-extractable P-256 key in its own IndexedDB database and reuses it across launches', async () => {
    const first = await loadDeviceSigner();
    const second = await loadDeviceSigner();
    expect(first.kind).toBe('device');
    expect(jwkThumbprint(second.jwk!)).toBe(jwkThumbprint(first.jwk!));
    const pair = await get<CryptoKeyPair>('device-key/v1', createStore(KEY_DATABASE, 'keys'));
    expect(pair!.privateKey.extractable).toBe(false);
    await expect(crypto.subtle.exportKey('jwk', pair!.privateKey)).rejects.toThrow();
    expect(Object.keys(first.jwk!).sort()).toEqual(['crv', 'kty', 'x', 'y']);
  });

  it('a new database (reinstall, wiped storage) means a new key', async () => {
    const first = await loadDeviceSigner();
    globalThis.indexedDB = new IDBFactory();
    expect(jwkThumbprint((await loadDeviceSigner()).jwk!)).not.toBe(jwkThumbprint(first.jwk!));
  });

  it('two contexts creating the key at once end up with the same one', async () => {
    const [a, b] = await Promise.all([loadDeviceSigner(), loadDeviceSigner()]);
    expect(jwkThumbprint(a.jwk!)).toBe(jwkThumbprint(b.jwk!));
  });
});

describe('chooseSigner (§2.6 fallback order)', () => {
  it('prefers the device key', async () => {
    const { errors, report } = collect();
    expect((await chooseSigner({ device: true, host: await testHostSigner(), report })).kind).toBe('device');
    expect(errors).toEqual([]);
  });

  it('falls back to the host signer when IndexedDB is missing, then to a session key', async () => {
    // @ts-expect-error: a webview without IndexedDB
    delete globalThis.indexedDB;
    const host = collect();
    expect((await chooseSigner({ device: true, host: await testHostSigner(), report: host.report })).kind).toBe('host');
    expect(host.errors.map((error) => error.message)).toEqual([expect.stringMatching(/device signer is unavailable \(IndexedDB is not available/)]);
    const none = collect();
    expect((await chooseSigner({ device: true, report: none.report })).kind).toBe('ephemeral');
    expect(none.errors.map((error) => error.code)).toEqual(['signer-unavailable']);
  });

  it('uses the host signer first when it asks to (use: always)', async () => {
    expect((await chooseSigner({ device: true, host: await testHostSigner('always'), report: () => {} })).kind).toBe('host');
  });

  it('refuses a host signer that returns DER or a key that is not P-256, and moves on', async () => {
    const { errors, report } = collect();
    const badKey: HostSigner = { use: 'always', publicKey: async () => ({ kty: 'RSA', crv: '', x: '', y: '' }), sign: async () => new Uint8Array(64) };
    expect((await chooseSigner({ device: false, host: badKey, report })).kind).toBe('ephemeral');
    expect(errors[0]!.message).toMatch(/not a P-256 JWK/);
    const der: HostSigner = { use: 'always', publicKey: async () => TEST_JWK, sign: async () => new Uint8Array(70) };
    const signer = await chooseSigner({ device: false, host: der, report });
    await expect(signer.sign(new Uint8Array(1))).rejects.toThrow(/returned 70 bytes; ES256 needs 64/);
  });

  it('without WebCrypto and without a host signer, makes unsigned receipts rather than none (step 4)', async () => {
    vi.stubGlobal('crypto', { getRandomValues: (bytes: Uint8Array) => bytes });
    const { errors, report } = collect();
    const signer = await chooseSigner({ device: true, report });
    expect(signer.kind).toBe('none');
    expect(errors.map((error) => error.message)).toEqual([
      expect.stringMatching(/device signer is unavailable \(WebCrypto is unavailable/),
      expect.stringMatching(/ephemeral signer is unavailable/),
    ]);
  });
});

describe('receipts from each signer', () => {
  it('the host signer\'s receipts verify and say signer "host"', async () => {
    const { service } = makeService({ persistent: () => true, hostSigner: await testHostSigner('always'), endpoint: undefined });
    const entry = await service.record(requests(1)[0]!);
    expect(verifyReceipt(entry!.jws).payload.x.signer).toBe('host');
  });

  it('a host signer that fails mid-session hands over to a session key, without losing the receipt', async () => {
    const host = await testHostSigner('always');
    let fail = false;
    const flaky: HostSigner = { ...host, sign: (data) => (fail ? Promise.reject(new Error('bridge gone')) : host.sign(data)) };
    const { service, errors } = makeService({ persistent: () => true, hostSigner: flaky, endpoint: undefined });
    const [a, b] = requests(2);
    await service.record(a!);
    fail = true;
    const entry = await service.record(b!);
    const payload = verifyReceipt(entry!.jws).payload;
    expect(payload.x).toMatchObject({ signer: 'ephemeral', keyEphemeral: true, chain: { seq: 1, prev: null } });
    expect(errors.map((error) => error.code)).toEqual(['signer-unavailable']);
    expect(await service.list('pending')).toHaveLength(2);
  });

  it('a host signer that never answers is given up after 5 s, so the action settles with a session key', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const host = await testHostSigner('always');
    const silent: HostSigner = { ...host, sign: () => new Promise(() => {}) };
    const { service, errors } = makeService({ persistent: () => false, hostSigner: silent, endpoint: undefined });
    const recording = service.record(requests(1)[0]!);
    await vi.advanceTimersByTimeAsync(4_999);
    expect(await service.list('pending')).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    const entry = await recording;
    vi.useRealTimers();
    expect(verifyReceipt(entry!.jws).payload.x.signer).toBe('ephemeral');
    expect(errors.map((error) => [error.code, (error.cause as Error).message])).toEqual([['signer-unavailable', 'the host signer did not answer within 5000 ms']]);
  });

  it('an unsigned receipt still chains and is kept', async () => {
    vi.stubGlobal('crypto', { getRandomValues: (bytes: Uint8Array) => bytes });
    const { service } = makeService({ persistent: () => false, endpoint: undefined });
    const [a, b] = requests(2);
    await service.record(a!);
    const entry = await service.record(b!);
    const [header, payload, signature] = entry!.jws.split('.');
    expect(JSON.parse(Buffer.from(header!, 'base64url').toString())).toEqual({ alg: 'none', kid: 'unsigned', typ: 'consent-receipt+jwt' });
    expect(JSON.parse(Buffer.from(payload!, 'base64url').toString()).x).toMatchObject({ signer: 'none', chain: { id: 'unsigned', seq: 2 } });
    expect(signature).toBe('');
    expect(() => verifyReceipt(entry!.jws)).toThrow(/alg is "none"/);
  });
});
