import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import type { Receiver } from '../../examples/receiver/receiver.js';
import type { ConsentInstance } from '../../src/host/instance.js';

/** What test/e2e/pages/hardening/receipts.js puts on window. */
export interface HardeningWindow {
  consent: ConsentInstance;
  errors: { code: string; message: string }[];
  settled: boolean;
  kick(): void;
  started: Promise<void>;
}
declare const window: HardeningWindow;

/** Per receiver, when each hung POST's timeout was brought forward (Date.now, before the move). */
const givenUp = new WeakMap<Receiver, Map<number, number>>();

/**
 * Pairs of POSTs (indexes) the receiver had open at once. One exception: a hung POST after the
 * page's clock was moved past its send timeout. The device has given up on it then, but the
 * server sees its socket close only when it gets there, which on a loaded machine can be after
 * the next send arrived: with the unit tests running beside it, 1 run in 12 counted two open at
 * once, the next POST arriving in the same millisecond as the hung socket's close. A send that
 * arrives during a hang, before its timeout was brought forward, still counts. One flusher
 * across tabs leaves this empty.
 */
export const overlappingPosts = (receiver: Receiver) => overlapping(receiver.posts, givenUp.get(receiver) ?? new Map());

/** `overlappingPosts` over a receiver's posts and the times each hung one was given up on. */
export function overlapping(posts: Receiver['posts'], givenUpAt: ReadonlyMap<number, number>): [number, number][] {
  const pairs: [number, number][] = [];
  posts.forEach((later, j) => posts.slice(0, j).forEach((earlier, i) => {
    const open = earlier.closedAt === undefined || earlier.closedAt > later.at;
    const abandoned = earlier.fault === 'hang' && (givenUpAt.get(i) ?? Infinity) <= later.at;
    if (open && !abandoned) pairs.push([i, j]);
  }));
  return pairs;
}

export const poll = () => new Promise((resolve) => setTimeout(resolve, 50));

/** Opens the hardening page against `endpoint` and waits for `ready`. */
export async function openHardening(page: Page, base: string, endpoint?: string) {
  await page.goto(`${base}/hardening/receipts.html${endpoint ? `?${new URLSearchParams({ endpoint })}` : ''}`);
  await page.evaluate(() => window.started);
}

/**
 * Flushes until nothing is pending, as the SDK's own triggers would, but without waiting in
 * real time: a send the receiver hangs is ended by moving the page clock past the SDK's 15 s
 * send timeout, and a `Retry-After` by moving it past the hold. Needs `page.clock.install()`.
 */
export async function drainPage(page: Page, receiver: Receiver): Promise<void> {
  for (let round = 0; round < 40; round++) {
    await page.evaluate(() => window.kick());
    while (!(await page.evaluate(() => window.settled))) {
      // The newest send hangs at the receiver (this page's, or another tab's holding the flush
      // lock): only the SDK's send timeout ends it. The clock is the context's, so every tab's
      // timers move together.
      const last = receiver.posts.length - 1;
      if (receiver.posts[last]?.fault === 'hang' && !givenUp.get(receiver)?.has(last)) {
        givenUp.set(receiver, (givenUp.get(receiver) ?? new Map<number, number>()).set(last, Date.now()));
        await page.clock.fastForward(16_000);
      }
      await poll();
    }
    const holds = await page.evaluate(async () => (await window.consent.pendingReceipts()).map((entry) => (entry.holdUntil ?? 0) - Date.now()));
    if (holds.length === 0) return;
    const hold = Math.max(0, ...holds);
    if (hold > 0) await page.clock.fastForward(hold + 10);
  }
  throw new Error('the outbox did not drain');
}

/** The receiver's disk: one line per stored receipt, in order. */
export async function ledgerOf(dataDir: string): Promise<{ jti: string; jws: string; receivedAt: number }[]> {
  const text = await readFile(join(dataDir, 'receipts.jsonl'), 'utf8').catch(() => '');
  return text.split('\n').filter(Boolean).map((line) => JSON.parse(line) as { jti: string; jws: string; receivedAt: number });
}

/** Per jti, how often the receiver accepted (stored) it: exactly-once means 1 for each. */
export const acceptedCounts = (receiver: Receiver) => {
  const counts = new Map<string, number>();
  for (const item of receiver.items) if (item.status === 'accepted') counts.set(item.jti, (counts.get(item.jti) ?? 0) + 1);
  return counts;
};
