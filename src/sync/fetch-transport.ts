import type { TransportResponse } from '../core/outbox-outcome.js';
import { sha256Base64url } from '../core/receipt-encoding.js';

/** An empty or non-JSON body (a plain `204` backend, an HTML error page) reads as no body. */
function parseJson(text: string): unknown {
  try {
    return text ? JSON.parse(text) : undefined;
  } catch {
    return undefined;
  }
}

/** Sends a batch of receipts; rejects only on a network failure (no complete HTTP answer). */
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
      // A body cut off mid-way (connection reset, the timeout firing during a slow drip) is a
      // network failure and rejects here: read as "no body", a 2xx would count as every receipt
      // accepted, and a receipt the server refused or never stored would be marked delivered.
      const text = await response.text();
      return { status: response.status, retryAfter: response.headers.get('retry-after'), body: parseJson(text) };
    } finally {
      clearTimeout(timer);
    }
  };
}
