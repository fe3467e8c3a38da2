import { createHash, createPublicKey, verify } from 'node:crypto';
import { ConsentError, type ErrorCode } from '../core/errors.js';
import { RECEIPT_TYP, type PublicJwk, type ReceiptHeader, type ReceiptPayload } from '../core/receipt-types.js';

/** A receipt whose signature, key binding and claims checked out. */
export interface VerifiedReceipt {
  readonly header: ReceiptHeader & { readonly jwk: PublicJwk };
  readonly payload: ReceiptPayload;
  /** The RFC 7638 thumbprint, recomputed: equal to `header.kid` and `payload.x.chain.id`. */
  readonly kid: string;
  /** base64url SHA-256 of the compact JWS: the next receipt's `x.chain.prev`. */
  readonly hash: string;
}

const SEGMENT = /^[A-Za-z0-9_-]+$/;
const fail = (code: ErrorCode, message: string): never => {
  throw new ConsentError(code, `inapp-consent/verify: ${message}`);
};
const sha256 = (text: string) => createHash('sha256').update(text).digest('base64url');

function json(segment: string, what: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(Buffer.from(segment, 'base64url').toString('utf8'));
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) return value as Record<string, unknown>;
  } catch {
    // reported below
  }
  return fail('receipt-invalid', `the ${what} is not a base64url JSON object`);
}

/** RFC 7638: the required EC members in lexicographic order, no whitespace. */
export function thumbprint(jwk: PublicJwk): string {
  return sha256(`{"crv":${JSON.stringify(jwk.crv)},"kty":${JSON.stringify(jwk.kty)},"x":${JSON.stringify(jwk.x)},"y":${JSON.stringify(jwk.y)}}`);
}

function publicJwk(value: unknown): PublicJwk {
  const jwk = (typeof value === 'object' && value !== null ? value : {}) as Record<string, unknown>;
  if (jwk.kty !== 'EC' || jwk.crv !== 'P-256' || typeof jwk.x !== 'string' || typeof jwk.y !== 'string') {
    return fail('signature-invalid', 'the header jwk is not a P-256 public key');
  }
  if ('d' in jwk) return fail('signature-invalid', 'the header jwk contains a private key');
  return { kty: 'EC', crv: 'P-256', x: jwk.x, y: jwk.y };
}

function checkClaims(payload: Record<string, unknown>, kid: string): ReceiptPayload {
  const x = (payload.x ?? {}) as Record<string, unknown>;
  const chain = (x.chain ?? {}) as Record<string, unknown>;
  const problems = [
    typeof payload.jti !== 'string' || payload.jti === '' ? 'jti is missing' : '',
    payload.consentReceiptID !== payload.jti ? 'consentReceiptID differs from jti' : '',
    typeof payload.iat !== 'number' || !Number.isInteger(payload.iat) ? 'iat is not an integer' : '',
    typeof payload.iss !== 'string' || payload.iss === '' ? 'iss is missing' : '',
    typeof payload.sub !== 'string' || payload.sub === '' ? 'sub is missing' : '',
    payload.piiPrincipalId !== payload.sub ? 'piiPrincipalId differs from sub' : '',
    chain.id !== kid ? 'x.chain.id is not the signing key\'s thumbprint' : '',
    typeof chain.seq !== 'number' || !Number.isInteger(chain.seq) || chain.seq < 1 ? 'x.chain.seq is not a positive integer' : '',
    !(chain.prev === null || (typeof chain.prev === 'string' && SEGMENT.test(chain.prev))) ? 'x.chain.prev is neither null nor a hash' : '',
    chain.seq === 1 && chain.prev !== null ? 'x.chain.prev must be null at seq 1' : '',
  ].filter(Boolean);
  if (problems.length > 0) fail('receipt-invalid', problems.join('; '));
  return payload as unknown as ReceiptPayload;
}

/**
 * Verifies one compact JWS consent receipt, trusting nothing in it until checked
 * (reference/mobile-cmp-receipts-bridges.md §2.7):
 * 1. `typ` must be `consent-receipt+jwt` and `alg` exactly `ES256` (no `none`, no algorithm
 *    confusion: the algorithm is pinned, never read from the token);
 * 2. the embedded `jwk` must be a P-256 public key whose RFC 7638 thumbprint equals `kid`;
 * 3. the signature must verify over the transmitted bytes, as IEEE P1363 r‖s (node:crypto's
 *    default DER encoding would reject every valid ES256 signature);
 * 4. the claims the chain and the receipt rely on must be present and consistent.
 *
 * @returns the header, payload, recomputed kid and the receipt's chain hash.
 * @throws ConsentError `receipt-invalid` (malformed), `signature-invalid` (alg, key, signature).
 */
export function verifyReceipt(jws: string): VerifiedReceipt {
  const parts = typeof jws === 'string' ? jws.split('.') : [];
  // An empty signature is let through to the alg check, so an unsigned receipt is named as such.
  if (parts.length !== 3 || !SEGMENT.test(parts[0]!) || !SEGMENT.test(parts[1]!) || !/^[A-Za-z0-9_-]*$/.test(parts[2]!)) {
    fail('receipt-invalid', 'not a compact JWS (three base64url segments)');
  }
  const [head, body, signature] = parts as [string, string, string];
  const header = json(head, 'header');
  if (header.typ !== RECEIPT_TYP) fail('receipt-invalid', `typ is ${JSON.stringify(header.typ)}, expected "${RECEIPT_TYP}"`);
  if (header.alg !== 'ES256') fail('signature-invalid', `alg is ${JSON.stringify(header.alg)}; only ES256 is accepted`);
  const jwk = publicJwk(header.jwk);
  const kid = thumbprint(jwk);
  if (header.kid !== kid) fail('signature-invalid', 'kid is not the RFC 7638 thumbprint of the header jwk');
  const bytes = Buffer.from(signature, 'base64url');
  const key = createPublicKey({ key: { ...jwk }, format: 'jwk' });
  if (bytes.length !== 64 || !verify('sha256', Buffer.from(`${head}.${body}`), { key, dsaEncoding: 'ieee-p1363' }, bytes)) {
    fail('signature-invalid', 'the ES256 signature does not verify');
  }
  const payload = checkClaims(json(body, 'payload'), kid);
  return { header: { ...(header as unknown as ReceiptHeader), jwk }, payload, kid, hash: sha256(jws) };
}
