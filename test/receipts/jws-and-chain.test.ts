import { createHash, randomBytes } from 'node:crypto';
import { calculateJwkThumbprint, compactVerify, EmbeddedJWK, importJWK, jwtVerify } from 'jose';
import { describe, expect, it } from 'vitest';
import { advanceHead, EMPTY_HEAD, nextLink, receiptHash } from '../../src/core/receipt-chain.js';
import { base64url, sha256Base64url } from '../../src/core/receipt-encoding.js';
import { buildReceiptPayload } from '../../src/core/receipt.js';
import { compactJws, jwkThumbprint, receiptHeader, signingInput } from '../../src/core/receipt-jws.js';
import type { ReceiptSigner } from '../../src/core/receipt-types.js';
import { decide, inputFor, TEST_JWK, testSigner } from './support.js';

async function signed(signer: ReceiptSigner, chain = { id: jwkThumbprint(signer.jwk!), seq: 1, prev: null as string | null }) {
  const [decision] = decide({ type: 'agree-basic' });
  const payload = buildReceiptPayload(inputFor(decision!, { chain }));
  const input = signingInput(receiptHeader(signer.jwk), payload);
  return compactJws(input, await signer.sign(new TextEncoder().encode(input)));
}

describe('receipt encoding', () => {
  it('base64url matches Node for every length 0–70, with no padding', () => {
    for (let length = 0; length <= 70; length++) {
      const bytes = randomBytes(length);
      expect(base64url(bytes)).toBe(bytes.toString('base64url'));
    }
  });

  it('sha256Base64url matches node:crypto on ASCII and multi-byte text', () => {
    for (const text of ['', 'abc', '同意 ✓ 𝄞', 'x'.repeat(1000)]) {
      expect(sha256Base64url(text)).toBe(createHash('sha256').update(text, 'utf8').digest('base64url'));
    }
  });

  it('the RFC 7638 thumbprint matches jose for the test key and a fresh key', async () => {
    expect(jwkThumbprint(TEST_JWK)).toBe(await calculateJwkThumbprint(TEST_JWK, 'sha256'));
    const { privateKey } = await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, ['sign']);
    const { kty, crv, x, y } = await crypto.subtle.exportKey('jwk', privateKey);
    const jwk = { kty, crv, x, y } as typeof TEST_JWK;
    expect(jwkThumbprint(jwk)).toBe(await calculateJwkThumbprint(jwk, 'sha256'));
  });
});

describe('signed receipts', () => {
  it('verify with jose: the embedded key, ES256 pinned, typ consent-receipt+jwt, kid = thumbprint', async () => {
    const jws = await signed(await testSigner());
    const { protectedHeader } = await compactVerify(jws, EmbeddedJWK, { algorithms: ['ES256'] });
    expect(protectedHeader).toMatchObject({ alg: 'ES256', typ: 'consent-receipt+jwt', kid: await calculateJwkThumbprint(TEST_JWK) });
    expect(Object.keys(protectedHeader.jwk!).sort()).toEqual(['crv', 'kty', 'x', 'y']);
    const { payload } = await jwtVerify(jws, await importJWK(TEST_JWK, 'ES256'), { algorithms: ['ES256'], typ: 'consent-receipt+jwt' });
    expect(payload.jti).toBe('00000000-0000-4000-8000-000000000001');
  });

  it('a signature by another key does not verify under the embedded one', async () => {
    const { privateKey } = await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, false, ['sign']);
    const impostor: ReceiptSigner = { ...(await testSigner()), sign: async (data) => new Uint8Array(await crypto.subtle.sign({ name: 'ECDSA', hash: 'SHA-256' }, privateKey, data as Uint8Array<ArrayBuffer>)) };
    await expect(compactVerify(await signed(impostor), EmbeddedJWK, { algorithms: ['ES256'] })).rejects.toThrow(/signature verification failed/);
  });

  it('an unsigned receipt (no WebCrypto, no host signer) says alg none and chains under "unsigned"', () => {
    expect(receiptHeader(undefined)).toEqual({ alg: 'none', typ: 'consent-receipt+jwt', kid: 'unsigned' });
  });
});

describe('the hash chain', () => {
  it('numbers receipts per key from 1 and links each to the SHA-256 of the previous compact JWS', async () => {
    const signer = await testSigner();
    const kid = jwkThumbprint(TEST_JWK);
    let head = EMPTY_HEAD;
    const written: string[] = [];
    for (let i = 0; i < 3; i++) {
      const link = nextLink(head, kid);
      const jws = await signed(signer, link);
      head = advanceHead(head, link, jws);
      written.push(jws);
      expect(link.seq).toBe(i + 1);
      expect(link.prev).toBe(i === 0 ? null : createHash('sha256').update(written[i - 1]!).digest('base64url'));
    }
    expect(head).toEqual({ ord: 3, chains: { [kid]: { seq: 3, hash: receiptHash(written[2]!) } } });
  });

  it('starts a new key at 1 and continues an old key where it stopped', () => {
    let head = EMPTY_HEAD;
    for (const [kid, jws] of [['A', 'a1'], ['A', 'a2'], ['E', 'e1'], ['A', 'a3']] as const) head = advanceHead(head, nextLink(head, kid), jws);
    expect(head.ord).toBe(4);
    expect(head.chains.A).toEqual({ seq: 3, hash: receiptHash('a3') });
    expect(head.chains.E).toEqual({ seq: 1, hash: receiptHash('e1') });
    expect(nextLink(head, 'B')).toEqual({ id: 'B', seq: 1, prev: null });
    expect(nextLink(head, 'A')).toEqual({ id: 'A', seq: 4, prev: receiptHash('a3') });
  });
});
