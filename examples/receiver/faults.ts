import type { ServerResponse } from 'node:http';

/**
 * The failures a receiver can play instead of answering, one per POST, so tests and demos can
 * watch the outbox live through a bad network (issue 8, item 4). Each models something a
 * phone's connection really does:
 * - `status`: an error answer without reading the batch (500, 503 + `Retry-After`, a
 *   permanent 400, a bare 409) — nothing stored;
 * - `gap`: 409 with `expectedSeq` (§2.8: the server lost receipts, e.g. restored from a
 *   backup) — nothing stored, the device must resend from `expectedSeq`;
 * - `hang`: never answers (a dead NAT mapping); `when: 'after'` stores the batch first, so the
 *   receipts are in but the device never hears it (the ack lost);
 * - `reset`: the connection is cut mid-body after a 200 status line; `after` stores first;
 * - `drip`: the answer arrives a few bytes at a time (a congested cell link), complete;
 * - `duplicate-ack`: every result twice, plus the previous answer's results replayed (a retrying
 *   proxy, a cached response).
 */
export type FaultStep =
  | { readonly kind: 'status'; readonly status: number; readonly retryAfter?: number }
  | { readonly kind: 'gap'; readonly expectedSeq?: number }
  | { readonly kind: 'hang'; readonly when?: 'before' | 'after' }
  | { readonly kind: 'reset'; readonly when?: 'before' | 'after' }
  | { readonly kind: 'drip'; readonly chunkMs?: number }
  | { readonly kind: 'duplicate-ack' };

/** Reads one step from the command-line form `500`, `503:2`, `400`, `gap:1`, `hang`, `hang-after`, `reset`, `reset-after`, `drip`, `dup`. */
export function parseStep(text: string): FaultStep {
  const [name = '', arg] = text.trim().split(':');
  if (/^\d{3}$/.test(name)) return { kind: 'status', status: Number(name), ...(arg ? { retryAfter: Number(arg) } : {}) };
  if (name === 'gap') return { kind: 'gap', ...(arg ? { expectedSeq: Number(arg) } : {}) };
  if (name === 'hang' || name === 'hang-after') return { kind: 'hang', when: name === 'hang' ? 'before' : 'after' };
  if (name === 'reset' || name === 'reset-after') return { kind: 'reset', when: name === 'reset' ? 'before' : 'after' };
  if (name === 'drip') return { kind: 'drip', ...(arg ? { chunkMs: Number(arg) } : {}) };
  if (name === 'dup') return { kind: 'duplicate-ack' };
  throw new Error(`unknown fault "${text}" (expected 500, 503:2, gap:1, hang, hang-after, reset, reset-after, drip, dup)`);
}

/** Whether the step reads and stores the batch before misbehaving. */
export const storesBatch = (step: FaultStep): boolean =>
  step.kind === 'drip' || step.kind === 'duplicate-ack' || ((step.kind === 'hang' || step.kind === 'reset') && step.when === 'after');

type Send = (response: ServerResponse, status: number, body: unknown, headers?: Record<string, string>) => number;

/** Plays a step that answers without reading the batch. Returns the status written, or undefined if the step needs the batch. */
export function playBefore(step: FaultStep, response: ServerResponse, send: Send): number | undefined {
  switch (step.kind) {
    case 'status':
      return send(response, step.status, { error: `fault mode: ${step.status}` }, step.retryAfter === undefined ? {} : { 'retry-after': String(step.retryAfter) });
    case 'gap':
      return send(response, 409, { expectedSeq: step.expectedSeq ?? 1 });
    case 'hang':
      return step.when === 'after' ? undefined : 0; // 0: nothing written, the socket stays open
    case 'reset':
      return step.when === 'after' ? undefined : cut(response, JSON.stringify({ results: [] }));
    default:
      return undefined;
  }
}

/** Plays a step after the batch was decided and stored, given the answer it would have sent. */
export function playAfter(step: FaultStep, response: ServerResponse, headers: Record<string, string>, status: number, body: { results: unknown[] }, previous: unknown[]): number {
  switch (step.kind) {
    case 'hang':
      return 0;
    case 'reset':
      return cut(response, JSON.stringify(body), status, headers);
    case 'drip':
      return drip(response, JSON.stringify(body), status, headers, step.chunkMs ?? 40);
    case 'duplicate-ack': {
      const doubled = { ...body, results: [...previous, ...body.results.flatMap((result) => [result, result])] };
      response.writeHead(status, headers).end(JSON.stringify(doubled));
      return status;
    }
    default:
      response.writeHead(status, headers).end(JSON.stringify(body));
      return status;
  }
}

/** A 200 status line, half the body, then the TCP connection destroyed (a reset mid-body). */
function cut(response: ServerResponse, text: string, status = 200, headers: Record<string, string> = {}): number {
  const bytes = Buffer.from(text);
  response.writeHead(status, { ...headers, 'content-length': String(bytes.length) });
  response.write(bytes.subarray(0, Math.max(1, bytes.length >> 1)), () => response.socket?.destroy());
  return status;
}

/** The whole answer in 16 pieces, `chunkMs` apart. */
function drip(response: ServerResponse, text: string, status: number, headers: Record<string, string>, chunkMs: number): number {
  const bytes = Buffer.from(text);
  const size = Math.max(1, Math.ceil(bytes.length / 16));
  response.writeHead(status, { ...headers, 'content-length': String(bytes.length) });
  response.flushHeaders();
  let offset = 0;
  const next = () => {
    if (response.destroyed) return;
    if (offset >= bytes.length) return void response.end();
    response.write(bytes.subarray(offset, (offset += size)));
    setTimeout(next, chunkMs).unref();
  };
  next();
  return status;
}
