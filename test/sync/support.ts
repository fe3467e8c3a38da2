import type { ConsentError } from '../../src/core/errors.js';
import type { OutboxEntry } from '../../src/core/outbox.js';
import { createMemoryReceiptLog, type ReceiptLog } from '../../src/sync/receipt-log.js';
import { createReceiptService, type ReceiptServiceOptions } from '../../src/sync/receipt-service.js';
import { decide, fixedIds } from '../receipts/support.js';

export const ENDPOINT = 'https://host.example/consent/receipts';

export interface Call {
  readonly url: string;
  readonly init: RequestInit;
  readonly receipts: string[];
  readonly headers: Record<string, string>;
}

/** A scripted fetch: each call takes the next answer (a Response, or an Error to reject with). */
export function scriptedFetch(...answers: (Response | Error | ((call: Call) => Response | Promise<Response>))[]) {
  const calls: Call[] = [];
  const fetch = async (url: RequestInfo | URL, init: RequestInit = {}) => {
    const call = { url: String(url), init, receipts: JSON.parse(String(init.body)) as string[], headers: init.headers as Record<string, string> };
    calls.push(call);
    const answer = answers.length > 1 ? answers.shift()! : answers[0] ?? new Response(null, { status: 204 });
    if (answer instanceof Error) throw answer;
    return typeof answer === 'function' ? answer(call) : answer.clone();
  };
  return { fetch: fetch as typeof globalThis.fetch, calls };
}

/** Accepts every receipt of a call, as a server following the contract would. */
export const acceptAll = (call: Call) => Response.json({ results: call.receipts.map((jws) => ({ jti: jtiOf(jws), status: 'accepted', ack: `ack-${jtiOf(jws)}` })) });

export const jtiOf = (jws: string): string => JSON.parse(Buffer.from(jws.split('.')[1]!, 'base64url').toString('utf8')).jti;

/** A receipt service over a memory log, a session key, fixed ids and `Date.now` (fake in tests). */
export function makeService(options: Partial<ReceiptServiceOptions> & { log?: ReceiptLog } = {}) {
  const errors: ConsentError[] = [];
  const receipts: OutboxEntry[] = [];
  const service = createReceiptService({
    endpoint: ENDPOINT,
    persistent: () => false,
    iss: 'com.example.fixture',
    now: () => Date.now(),
    ids: fixedIds(),
    report: (error) => errors.push(error),
    onReceipt: (entry) => receipts.push(entry),
    random: () => 0.5,
    log: options.log ?? createMemoryReceiptLog(),
    // No test reaches the network by accident.
    fetch: () => Promise.reject(new Error('unexpected request in a unit test')),
    ...options,
  });
  return { service, errors, receipts };
}

/** Decisions to make receipts of: agree, then marketing on, off, on… */
export function requests(count: number) {
  const actions = [{ type: 'agree-basic' as const }, ...Array.from({ length: count }, (_, i) => ({ type: 'set-purpose' as const, purposeId: 'marketing', granted: i % 2 === 0 }))];
  return decide(...actions).slice(0, count).map((decision) => ({ ...decision, sub: 'install-1', policyUrl: 'https://app.example/full-text.html' }));
}
