import { buildReceiptPayload } from '../../src/core/receipt.js';
import { advanceHead, EMPTY_HEAD, nextLink, type LogHead } from '../../src/core/receipt-chain.js';
import { compactJws, receiptHeader, signingInput } from '../../src/core/receipt-jws.js';
import type { ReceiptSigner } from '../../src/core/receipt-types.js';
import { webCryptoSigner } from '../../src/crypto/webcrypto-signer.js';
import { decide, fixedIds, inputFor } from '../receipts/support.js';

/** A fresh non-extractable device key, as the browser makes one. */
export async function freshSigner(): Promise<ReceiptSigner> {
  return webCryptoSigner('device', await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, false, ['sign', 'verify']));
}

/** Signs `count` chained receipts (agree, then marketing on/off alternately) as the SDK would. */
export async function chainOf(signer: ReceiptSigner, count: number, options: { sub?: string; head?: LogHead; ids?: () => string } = {}) {
  const ids = options.ids ?? fixedIds();
  const decisions = decide(
    { type: 'agree-basic' },
    ...Array.from({ length: count }, (_, i) => ({ type: 'set-purpose' as const, purposeId: 'marketing', granted: i % 2 === 0 })),
  );
  let head = options.head ?? EMPTY_HEAD;
  const receipts: string[] = [];
  for (const decision of decisions.slice(0, count)) {
    const header = receiptHeader(signer.jwk);
    const chain = nextLink(head, header.kid);
    const payload = buildReceiptPayload(inputFor(decision, { jti: ids(), chain, signer: signer.kind, sub: options.sub ?? 'install-1' }));
    const input = signingInput(header, payload);
    const jws = compactJws(input, await signer.sign(new TextEncoder().encode(input)));
    head = advanceHead(head, chain, jws);
    receipts.push(jws);
  }
  return { receipts, head };
}

/** Replaces the payload of a compact JWS, keeping its header and signature (a forgery). */
export function withPayload(jws: string, change: (payload: Record<string, unknown>) => void): string {
  const [head, body, signature] = jws.split('.') as [string, string, string];
  const payload = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as Record<string, unknown>;
  change(payload);
  return `${head}.${Buffer.from(JSON.stringify(payload)).toString('base64url')}.${signature}`;
}

export function withHeader(jws: string, change: (header: Record<string, unknown>) => void): string {
  const [head, body, signature] = jws.split('.') as [string, string, string];
  const header = JSON.parse(Buffer.from(head, 'base64url').toString('utf8')) as Record<string, unknown>;
  change(header);
  return `${Buffer.from(JSON.stringify(header)).toString('base64url')}.${body}.${signature}`;
}
