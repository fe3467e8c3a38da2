import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { acceptReceipt, type ItemResult, type ReceiptCheck } from './accept.js';
import { jwks, loadServerKey } from './acks.js';
import { playAfter, playBefore, storesBatch, type FaultStep } from './faults.js';
import { openLedger } from './ledger.js';
import { listDevices } from './listing.js';

/** A failure the receiver plays instead of answering, for tests and demos of the outbox. */
export interface Fault {
  readonly status: number;
  /** Seconds, sent as `Retry-After`. */
  readonly retryAfter?: number;
  /** For 409: the `expectedSeq` to claim. */
  readonly expectedSeq?: number;
  /** How many POSTs it applies to; unlimited when absent. */
  readonly times?: number;
}

export interface ReceiverOptions {
  readonly port?: number;
  readonly host?: string;
  readonly dataDir: string;
  readonly fault?: Fault;
  /** Faults for the next POSTs, one each, in order (see faults.ts); played before `fault`. */
  readonly script?: readonly FaultStep[];
  readonly now?: () => number;
  /** The backend's content check: a receipt it refuses is stored as a rejected link (accept.ts). */
  readonly check?: ReceiptCheck;
}

/** One receipt decision, as answered (tests count `accepted` per `jti`: exactly once). */
export interface ItemLog {
  readonly jti: string;
  readonly status: ItemResult['status'];
  /** The POST it came in (index into `posts`). */
  readonly post: number;
}

export interface Receiver {
  readonly url: string;
  readonly port: number;
  /** Every request seen, in order (tests check that nothing arrives before a decision). */
  readonly requests: readonly { readonly method: string; readonly path: string; readonly status: number }[];
  /**
   * Every POST /receipts as it arrives (before any answer, so a hang is seen too), the fault it
   * met, and when its connection closed (for a hang: when the server saw the device give up).
   */
  readonly posts: readonly { readonly fault?: FaultStep['kind']; readonly at: number; readonly closedAt?: number }[];
  /** Every receipt decided, in order. */
  readonly items: readonly ItemLog[];
  setFault(fault: Fault | undefined): void;
  setCheck(check: ReceiptCheck | undefined): void;
  /** Appends faults for the next POSTs, one each. */
  script(steps: readonly FaultStep[]): void;
  /** Faults scripted and not yet played. */
  readonly scripted: number;
  close(): Promise<void>;
}

const MAX_BODY = 1_048_576;
const CORS = {
  'access-control-allow-origin': '*',
  'access-control-allow-methods': 'GET, POST, OPTIONS',
  'access-control-allow-headers': 'content-type, idempotency-key',
  'access-control-expose-headers': 'retry-after',
  'access-control-max-age': '600',
};

function readBody(request: IncomingMessage): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    let size = 0;
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY) chunks.push(chunk);
    });
    request.on('end', () => resolve(size > MAX_BODY ? undefined : Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}

/** `application/jwt`: one receipt; JSON: an array of receipts (§4.8), or `{receipts: [...]}`. */
function parseBatch(type: string, text: string): unknown[] | undefined {
  if (type.startsWith('application/jwt')) return [text.trim()];
  try {
    const value: unknown = JSON.parse(text);
    const list = Array.isArray(value) ? value : (value as { receipts?: unknown } | null)?.receipts;
    return Array.isArray(list) ? list : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The reference receiver: the server contract of docs/receiving-receipts.md on node:http.
 * POST /receipts, GET /receipts (read-only listing with verification and chain status),
 * GET /.well-known/jwks.json (the ack key), CORS for demo pages. Receipts are decided one at a
 * time (a queue), so two requests can never both extend the same chain head.
 */
export async function startReceiver(options: ReceiverOptions): Promise<Receiver> {
  const ledger = await openLedger(options.dataDir);
  const key = await loadServerKey(options.dataDir);
  const now = options.now ?? Date.now;
  const requests: { method: string; path: string; status: number }[] = [];
  const posts: { fault?: FaultStep['kind']; at: number; closedAt?: number }[] = [];
  const items: ItemLog[] = [];
  const steps: FaultStep[] = [...(options.script ?? [])];
  let previous: unknown[] = [];
  let fault = options.fault;
  let check = options.check;
  let queue: Promise<unknown> = Promise.resolve();
  let url = '';

  const send = (response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
    response.writeHead(status, { ...CORS, 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', ...headers });
    response.end(JSON.stringify(body));
    return status;
  };

  /** The legacy single fault (`setFault`, `?fault=`, RECEIVER_FAULT) as a step; `times` counts down. */
  const legacyStep = (query: URLSearchParams): FaultStep | undefined => {
    const asked = query.get('fault');
    if (asked) return { kind: 'status', status: Number(asked), retryAfter: Number(query.get('retryAfter') ?? 1) };
    const current = fault;
    if (!current) return undefined;
    if (current.times !== undefined) fault = current.times > 1 ? { ...current, times: current.times - 1 } : undefined;
    if (current.status === 409) return { kind: 'gap', expectedSeq: current.expectedSeq ?? 1 };
    return { kind: 'status', status: current.status, ...(current.retryAfter === undefined ? {} : { retryAfter: current.retryAfter }) };
  };

  const receive = async (request: IncomingMessage, response: ServerResponse, step: FaultStep | undefined, post: number): Promise<number> => {
    const text = await readBody(request);
    if (text === undefined) return send(response, 413, { error: 'batch larger than 1 MiB' });
    const batch = parseBatch(request.headers['content-type'] ?? '', text);
    if (!batch || batch.length === 0) return send(response, 400, { error: 'expected a JSON array of compact JWS receipts' });
    const results: ItemResult[] = [];
    for (const jws of batch) {
      const result = await acceptReceipt(jws, ledger, key, url, now, check);
      results.push(result);
      items.push({ jti: result.jti, status: result.status, post });
    }
    const gap = results.find((result) => result.status === 'gap');
    // §2.8: on a gap the device resends that key's chain from expectedSeq.
    const status = gap ? 409 : 200;
    const body: { results: ItemResult[] } = gap ? { results, expectedSeq: gap.expectedSeq, kid: gap.kid } as { results: ItemResult[] } : { results };
    const answer = step ? playAfter(step, response, { ...CORS, 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' }, status, body, previous) : send(response, status, body);
    previous = results;
    return answer;
  };

  const server = createServer((request, response) => {
    const { pathname, searchParams } = new URL(request.url ?? '/', 'http://receiver');
    const log = (status: number) => requests.push({ method: request.method ?? '', path: pathname, status });
    const handle = async (): Promise<number> => {
      if (request.method === 'OPTIONS') {
        response.writeHead(204, CORS).end();
        return 204;
      }
      if (request.method === 'GET' && pathname === '/.well-known/jwks.json') return send(response, 200, jwks(key));
      if (request.method === 'GET' && pathname === '/receipts') return send(response, 200, listDevices(ledger, url, key.kid));
      if (request.method === 'GET' && pathname === '/health') return send(response, 200, { ok: true });
      if (request.method === 'POST' && pathname === '/receipts') {
        const step = steps.shift() ?? legacyStep(searchParams);
        const post = posts.push({ ...(step ? { fault: step.kind } : {}), at: now() }) - 1;
        response.once('close', () => void (posts[post]!.closedAt = now()));
        if (step && !storesBatch(step)) {
          const played = playBefore(step, response, send);
          if (played !== undefined) {
            // Drain the body so the socket can carry the answer (or stay hung) cleanly.
            request.resume();
            return played;
          }
        }
        const run = queue.then(() => receive(request, response, step, post));
        queue = run.catch(() => undefined);
        return run;
      }
      return send(response, 404, { error: 'not found' });
    };
    handle().then(log, (error: unknown) => log(send(response, 500, { error: String(error) })));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', resolve);
  });
  const { port } = server.address() as AddressInfo;
  url = `http://${options.host ?? '127.0.0.1'}:${port}`;
  return {
    url,
    port,
    requests,
    posts,
    items,
    setFault: (next) => void (fault = next),
    setCheck: (next) => void (check = next),
    script: (next) => void steps.push(...next),
    get scripted() {
      return steps.length;
    },
    close: () => new Promise((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}
