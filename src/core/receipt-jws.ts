import { canonicalJson } from './canonical-json.js';
import { base64url, base64urlText, sha256Base64url } from './receipt-encoding.js';
import { RECEIPT_TYP, type PublicJwk, type ReceiptHeader, type ReceiptPayload } from './receipt-types.js';

/** The chain id of receipts no key signed (§2.6 step 4). */
export const UNSIGNED_KID = 'unsigned';

/**
 * RFC 7638 thumbprint of a P-256 key: base64url SHA-256 of `{"crv","kty","x","y"}` in that
 * order with no whitespace — exactly what canonical JSON of those four members gives. Computed
 * with the synchronous SHA-256 so it works where `crypto.subtle` does not (insecure contexts
 * that sign through the host).
 */
export function jwkThumbprint(jwk: PublicJwk): string {
  return sha256Base64url(canonicalJson({ crv: jwk.crv, kty: jwk.kty, x: jwk.x, y: jwk.y }));
}

/** The protected header: ES256 with the public key embedded, or `none` when nobody signs. */
export function receiptHeader(jwk: PublicJwk | undefined): ReceiptHeader {
  return jwk ? { alg: 'ES256', typ: RECEIPT_TYP, kid: jwkThumbprint(jwk), jwk } : { alg: 'none', typ: RECEIPT_TYP, kid: UNSIGNED_KID };
}

/**
 * The JWS signing input. Header and payload are serialised as canonical JSON, so the same
 * receipt always has the same bytes (the golden fixture relies on it); verifiers hash and
 * check the transmitted string and never re-serialise.
 */
export function signingInput(header: ReceiptHeader, payload: ReceiptPayload): string {
  return `${base64urlText(canonicalJson(header))}.${base64urlText(canonicalJson(payload))}`;
}

/** Joins the signing input and the 64-byte signature into the compact JWS (RFC 7515 §7.1). */
export function compactJws(input: string, signature: Uint8Array): string {
  return `${input}.${base64url(signature)}`;
}
