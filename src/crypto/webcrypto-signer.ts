import type { PublicJwk, ReceiptSigner, SignerKind } from '../core/receipt-types.js';

const ECDSA_P256 = { name: 'ECDSA', namedCurve: 'P-256' } as const;

/** True where WebCrypto can sign: `crypto.subtle` exists only in secure contexts (§2.6). */
export const canUseWebCrypto = (): boolean => typeof crypto !== 'undefined' && typeof crypto.subtle?.sign === 'function';

/**
 * A fresh P-256 pair whose private key can never be exported (`extractable: false`): JS on the
 * page may use it to sign but cannot copy it off the device. The public key stays exportable.
 */
export function generateKeyPair(): Promise<CryptoKeyPair> {
  return crypto.subtle.generateKey(ECDSA_P256, false, ['sign', 'verify']);
}

export function isKeyPair(value: unknown): value is CryptoKeyPair {
  const pair = value as Partial<CryptoKeyPair> | undefined;
  return typeof pair === 'object' && pair !== null && pair.privateKey?.type === 'private' && pair.publicKey?.type === 'public';
}

/**
 * An ES256 signer over a WebCrypto pair. ECDSA `sign` already returns the 64-byte r‖s that
 * JWS wants (RFC 7518 §3.4), so no DER conversion is needed here.
 */
export async function webCryptoSigner(kind: SignerKind, pair: CryptoKeyPair): Promise<ReceiptSigner> {
  // The exported JWK also has `key_ops` and `ext`: keep only what the header and thumbprint use.
  const { kty, crv, x, y } = await crypto.subtle.exportKey('jwk', pair.publicKey);
  const jwk = { kty, crv, x, y } as PublicJwk;
  return {
    kind,
    jwk,
    sign: async (data) => new Uint8Array(await crypto.subtle.sign({ name: 'ECDSA', hash: 'SHA-256' }, pair.privateKey, data as Uint8Array<ArrayBuffer>)),
  };
}
