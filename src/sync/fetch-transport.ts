import type { TransportResponse } from '../core/outbox-outcome.js';
import { sha256Base64url } from '../core/receipt-encoding.js';

/** Sends a batch of receipts; rejects only on a network failure (no HTTP answer at all). */
export type Transport = (batch: readonly { readonly jti: string; readonly jws: string }[], options?: { readonly keepalive?: boolean }) => Promise<TransportResponse>;

/**
 * The server contract of reference/mobile-cmp-receipts-bridges.md §4.8: one POST of a JSON array
 * of compact JWS, oldest first. `Idempotency-Key` (draft-ietf-httpapi-idempotency-key-header)
 * is the receipt's `jti`, or a hash of the batch's `jti`s, so a replay is recognised while a
 * different batch never reuses a key. A request that hangs is aborted after `timeoutMs` so the
 * flush lock is released.
 */
export function createFetchTransport(endpoint: string, fetchImpl: typeof fetch, timeoutMs = 15_000): Transport {
  return async (batch, options = {}) => {
    const jtis = batch.map((entry) => entry.jti);
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), timeoutMs);
    try {
      const response = await fetchImpl(endpoint, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'idempotency-key': jtis.length === 1 ? jtis[0]! : sha256Base64url(jtis.join(',')) },
        body: JSON.stringify(batch.map((entry) => entry.jws)),
        // Cookies are the host's business; receipts carry their own proof.
        credentials: 'omit',
        signal: controller.signal,
        ...(options.keepalive ? { keepalive: true } : {}),
      });
      const body: unknown = await response.json().catch(() => undefined);
      return { status: response.status, retryAfter: response.headers.get('retry-after'), body };
    } finally {
      clearTimeout(timer);
    }
  };
}
