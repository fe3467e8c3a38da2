import { derToJose } from './der.js';
import { CompactSign, calculateJwkThumbprint, exportJWK, generateKeyPair } from 'jose';
import { sign as nodeSign, createPrivateKey } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { assertChain, verifyChain, verifyReceipt } from '../../src/verify/index.js';
import TEST_KEY from '../fixtures/receipts/test-key.json';
import { testSigner } from '../receipts/support.js';
import { chainOf, freshSigner, withHeader, withPayload } from './support.js';

const codeOf = (run: () => unknown) => {
  try {
    run();
    return 'ok';
  } catch (error) {
    return `${(error as { code?: string }).code}: ${(error as Error).message}`;
  }
};

describe('verifyReceipt', () => {
  it('returns the payload, the recomputed kid (= jose thumbprint) and the chain hash', async () => {
    const signer = await testSigner();
    const { receipts: [jws] } = await chainOf(signer, 1);
    const verified = verifyReceipt(jws!);
    expect(verified.kid).toBe(await calculateJwkThumbprint(signer.jwk!));
    expect(verified.payload.x.chain).toEqual({ id: verified.kid, seq: 1, prev: null });
    expect(verified.hash).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it('accepts a receipt jose signed (cross-verification the other way)', async () => {
    const { receipts: [original] } = await chainOf(await testSigner(), 1);
    const payload = Buffer.from(original!.split('.')[1]!, 'base64url');
    const { d: _d, ...publicJwk } = TEST_KEY.jwk;
    const key = createPrivateKey({ key: TEST_KEY.jwk, format: 'jwk' });
    const jws = await new CompactSign(payload)
      .setProtectedHeader({ alg: 'ES256', typ: 'consent-receipt+jwt', kid: await calculateJwkThumbprint(publicJwk), jwk: publicJwk })
      .sign(key);
    expect(verifyReceipt(jws).payload.jti).toBe('00000000-0000-4000-8000-000000000001');
  });

  it('rejects a changed payload, a swapped key, alg none, a foreign typ and a private key in the header', async () => {
    const { receipts: [jws] } = await chainOf(await testSigner(), 1);
    const other = await freshSigner();
    expect(codeOf(() => verifyReceipt(withPayload(jws!, (p) => ((p.x as { decisions: unknown[] }).decisions = []))))).toMatch(/^signature-invalid: .*does not verify/);
    // A forger who re-embeds their own key must also fix kid, and then the signature fails.
    expect(codeOf(() => verifyReceipt(withHeader(jws!, (h) => (h.jwk = other.jwk))))).toMatch(/^signature-invalid: .*kid is not the RFC 7638 thumbprint/);
    expect(codeOf(() => verifyReceipt(withHeader(jws!, (h) => (h.alg = 'none'))))).toMatch(/^signature-invalid: .*alg is "none"/);
    expect(codeOf(() => verifyReceipt(withHeader(jws!, (h) => (h.alg = 'HS256'))))).toMatch(/^signature-invalid: .*alg is "HS256"/);
    expect(codeOf(() => verifyReceipt(withHeader(jws!, (h) => (h.typ = 'JWT'))))).toMatch(/^receipt-invalid: .*typ is "JWT"/);
    expect(codeOf(() => verifyReceipt(withHeader(jws!, (h) => (h.jwk = TEST_KEY.jwk))))).toMatch(/^signature-invalid: .*the header jwk contains a private key/);
    expect(codeOf(() => verifyReceipt('not.a-jws'))).toMatch(/^receipt-invalid/);
    expect(codeOf(() => verifyReceipt(`${jws!.split('.').slice(0, 2).join('.')}.`))).toMatch(/^signature-invalid: .*does not verify/);
  });

  it('rejects a DER-encoded ECDSA signature (the classic node:crypto bug, §2.7)', async () => {
    const { receipts: [jws] } = await chainOf(await testSigner(), 1);
    const [head, body] = jws!.split('.');
    const der = nodeSign('sha256', Buffer.from(`${head}.${body}`), createPrivateKey({ key: TEST_KEY.jwk, format: 'jwk' }));
    expect(codeOf(() => verifyReceipt(`${head}.${body}.${der.toString('base64url')}`))).toMatch(/^signature-invalid/);
    // …while the same signature as r‖s verifies, so the rejection is about the encoding alone.
    expect(codeOf(() => verifyReceipt(`${head}.${body}.${derToJose(der).toString('base64url')}`))).toBe('ok');
  });

  it('rejects claims that break the chain or the receipt (signed, so only a buggy or hostile signer makes them)', async () => {
    const { privateKey, publicKey } = await generateKeyPair('ES256');
    const jwk = await exportJWK(publicKey);
    const kid = await calculateJwkThumbprint(jwk);
    const make = (payload: object) => new CompactSign(Buffer.from(JSON.stringify(payload))).setProtectedHeader({ alg: 'ES256', typ: 'consent-receipt+jwt', kid, jwk }).sign(privateKey);
    const good = { jti: 'j', consentReceiptID: 'j', iat: 1, iss: 'app', sub: 's', piiPrincipalId: 's', x: { chain: { id: kid, seq: 1, prev: null } } };
    expect(codeOf(() => verifyReceipt(''))).toMatch(/receipt-invalid/);
    await expect(make(good).then((jws) => codeOf(() => verifyReceipt(jws)))).resolves.toBe('ok');
    const bad = await make({ ...good, consentReceiptID: 'k', piiPrincipalId: 'someone', x: { chain: { id: 'other', seq: 1, prev: 'abc' } } });
    expect(codeOf(() => verifyReceipt(bad))).toBe('receipt-invalid: inapp-consent/verify: consentReceiptID differs from jti; piiPrincipalId differs from sub; x.chain.id is not the signing key\'s thumbprint; x.chain.prev must be null at seq 1');
  });
});

describe('verifyChain', () => {
  it('accepts an intact chain and reports its head', async () => {
    const { receipts } = await chainOf(await testSigner(), 4);
    const report = verifyChain(receipts);
    expect(report.valid).toBe(true);
    expect(report.chains).toEqual([expect.objectContaining({ length: 4, headSeq: 4, sub: 'install-1' })]);
    expect(() => assertChain(receipts)).not.toThrow();
  });

  it('detects deletion, reordering, replay and substitution', async () => {
    const signer = await testSigner();
    const { receipts: [a, b, c, d] } = await chainOf(signer, 4);
    expect(verifyChain([a!, c!, d!]).problems).toEqual([{ path: '[1]', message: 'gap: seq 3 where 2 was expected (receipts missing)' }]);
    expect(verifyChain([a!, c!, b!, d!]).problems.map((p) => p.path)).toEqual(['[1]', '[2]', '[3]']);
    expect(verifyChain([a!, b!, b!]).problems.map((p) => p.message)).toEqual(['jti 00000000-0000-4000-8000-000000000002 appears twice', 'reordered or replayed: seq 2 after seq 2']);
    // A validly signed receipt 2 from another history (same key) put in place of the real one.
    const kid = await calculateJwkThumbprint(signer.jwk!);
    const forkHead = { ord: 1, chains: { [kid]: { seq: 1, hash: 'A'.repeat(43) } } };
    const { receipts: [forged] } = await chainOf(signer, 1, { head: forkHead, ids: () => 'forged-2' });
    expect(verifyChain([a!, forged!, c!]).problems.map((p) => p.message)).toEqual(['substituted: prev does not match the hash of seq 1', 'substituted: prev does not match the hash of seq 2']);
    expect(() => assertChain([a!, c!])).toThrow(expect.objectContaining({ code: 'chain-invalid' }));
  });

  it('lists a key change, and requires the new chain to start at 1', async () => {
    const first = await chainOf(await testSigner(), 2);
    const second = await chainOf(await freshSigner(), 2, { ids: () => crypto.randomUUID() });
    const report = verifyChain([...first.receipts, ...second.receipts]);
    expect(report.valid).toBe(true);
    expect(report.keyChanges).toEqual([expect.objectContaining({ sub: 'install-1', index: 2 })]);
    expect(verifyChain([...first.receipts, second.receipts[1]!]).problems[0]!.message).toMatch(/gap: seq 2 where 1/);
  });

  it('reports a receipt that does not verify, and goes on', async () => {
    const { receipts } = await chainOf(await testSigner(), 2);
    const report = verifyChain([receipts[0]!, withPayload(receipts[1]!, (p) => (p.sub = 'x'))]);
    expect(report.valid).toBe(false);
    expect(report.problems[0]).toMatchObject({ path: '[1]', message: expect.stringMatching(/does not verify/) });
    expect(report.receipts).toHaveLength(1);
  });
});
