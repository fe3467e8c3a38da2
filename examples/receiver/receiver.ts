import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { acceptReceipt, type ItemResult } from './accept.js';
import { jwks, loadServerKey } from './acks.js';
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
  readonly now?: () => number;
}

export interface Receiver {
  readonly url: string;
  readonly port: number;
  /** Every request seen, in order (tests check that nothing arrives before a decision). */
  readonly requests: readonly { readonly method: string; readonly path: string; readonly status: number }[];
  setFault(fault: Fault | undefined): void;
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
  let fault = options.fault;
  let queue: Promise<unknown> = Promise.resolve();
  let url = '';

  const send = (response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
    response.writeHead(status, { ...CORS, 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', ...headers });
    response.end(JSON.stringify(body));
    return status;
  };

  const playFault = (response: ServerResponse, query: URLSearchParams): number | undefined => {
    const asked = query.get('fault');
    const current = asked ? { status: Number(asked), retryAfter: Number(query.get('retryAfter') ?? 1) } : fault;
    if (!current) return undefined;
    if (!asked && current.times !== undefined) fault = current.times > 1 ? { ...current, times: current.times - 1 } : undefined;
    const headers: Record<string, string> = current.retryAfter === undefined ? {} : { 'retry-after': String(current.retryAfter) };
    const body = current.status === 409 ? { expectedSeq: current.expectedSeq ?? 1 } : { error: `fault mode: ${current.status}` };
    return send(response, current.status, body, headers);
  };

  const receive = async (request: IncomingMessage, response: ServerResponse): Promise<number> => {
    const text = await readBody(request);
    if (text === undefined) return send(response, 413, { error: 'batch larger than 1 MiB' });
    const batch = parseBatch(request.headers['content-type'] ?? '', text);
    if (!batch || batch.length === 0) return send(response, 400, { error: 'expected a JSON array of compact JWS receipts' });
    const results: ItemResult[] = [];
    for (const jws of batch) results.push(await acceptReceipt(jws, ledger, key, url, now));
    const gap = results.find((result) => result.status === 'gap');
    if (!gap) return send(response, 200, { results });
    // §2.8: the device resends that key's chain from expectedSeq.
    return send(response, 409, { results, expectedSeq: gap.expectedSeq, kid: gap.kid });
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
        const faulted = playFault(response, searchParams);
        if (faulted !== undefined) return faulted;
        const run = queue.then(() => receive(request, response));
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
    setFault: (next) => void (fault = next),
    close: () => new Promise((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}
