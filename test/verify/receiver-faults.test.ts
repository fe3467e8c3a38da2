import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseStep } from '../../examples/receiver/faults.js';
import { startReceiver, type Receiver } from '../../examples/receiver/receiver.js';
import { testSigner } from '../receipts/support.js';
import { chainOf } from './support.js';

/**
 * The receiver's fault modes themselves (examples/receiver/faults.ts), at the HTTP level: each
 * does what it claims, so the outbox tests built on them mean what they say.
 */
let dataDir: string;
let receiver: Receiver;
beforeEach(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'faults-'));
});
afterEach(async () => {
  await receiver?.close();
  await rm(dataDir, { recursive: true, force: true });
});

const post = (receipts: string[], signal?: AbortSignal) =>
  fetch(`${receiver.url}/receipts`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(receipts), ...(signal ? { signal } : {}) });
const stored = async () => (await readFile(join(dataDir, 'receipts.jsonl'), 'utf8').catch(() => '')).split('\n').filter(Boolean).length;

describe('receiver fault modes', () => {
  it('plays one scripted fault per POST, in order, then answers normally; posts and items are logged', async () => {
    const { receipts: [a] } = await chainOf(await testSigner(), 1);
    receiver = await startReceiver({ dataDir, script: [{ kind: 'status', status: 503, retryAfter: 7 }, { kind: 'status', status: 400 }, { kind: 'gap', expectedSeq: 4 }] });
    const first = await post([a!]);
    expect([first.status, first.headers.get('retry-after')]).toEqual([503, '7']);
    expect((await post([a!])).status).toBe(400);
    const gap = await post([a!]);
    expect([gap.status, await gap.json()]).toEqual([409, { expectedSeq: 4 }]);
    expect(await stored()).toBe(0);
    expect((await post([a!])).status).toBe(200);
    expect(receiver.posts.map((entry) => entry.fault)).toEqual(['status', 'status', 'gap', undefined]);
    expect(receiver.items).toEqual([expect.objectContaining({ status: 'accepted', post: 3 })]);
    expect(receiver.scripted).toBe(0);
  });

  it('reset: a 200 status line then a cut mid-body; "after" stores the batch first, "before" does not', async () => {
    const { receipts: [a, b] } = await chainOf(await testSigner(), 2);
    receiver = await startReceiver({ dataDir, script: [{ kind: 'reset' }, { kind: 'reset', when: 'after' }] });
    for (const expected of [0, 1]) {
      const response = await post([a!]);
      expect(response.status).toBe(200);
      await expect(response.text()).rejects.toThrow();
      expect(await stored()).toBe(expected);
    }
    expect((await (await post([a!, b!])).json()).results.map((result: { status: string }) => result.status)).toEqual(['duplicate', 'accepted']);
  });

  it('hang: no answer until the client gives up; "after" has stored the batch', async () => {
    const { receipts: [a] } = await chainOf(await testSigner(), 1);
    receiver = await startReceiver({ dataDir, script: [{ kind: 'hang', when: 'after' }] });
    const controller = new AbortController();
    const sent = post([a!], controller.signal);
    while ((await stored()) === 0) await new Promise((resolve) => setTimeout(resolve, 20));
    controller.abort();
    await expect(sent).rejects.toThrow();
    expect(receiver.posts).toEqual([expect.objectContaining({ fault: 'hang' })]);
  });

  it('drip delivers the whole answer slowly; duplicate-ack lists each result twice plus the last answer again', async () => {
    const { receipts: [a, b] } = await chainOf(await testSigner(), 2);
    receiver = await startReceiver({ dataDir, script: [{ kind: 'drip', chunkMs: 5 }, { kind: 'duplicate-ack' }] });
    const dripped = await (await post([a!])).json();
    expect(dripped.results).toEqual([expect.objectContaining({ status: 'accepted' })]);
    const doubled = await (await post([b!])).json();
    expect(doubled.results.map((result: { status: string }) => result.status)).toEqual(['accepted', 'accepted', 'accepted']);
    expect(await stored()).toBe(2);
  });

  it('reads the command-line forms of RECEIVER_FAULTS', () => {
    expect('500,503:2,400,gap:3,hang,hang-after,reset,reset-after,drip:9,dup'.split(',').map(parseStep)).toEqual([
      { kind: 'status', status: 500 }, { kind: 'status', status: 503, retryAfter: 2 }, { kind: 'status', status: 400 }, { kind: 'gap', expectedSeq: 3 },
      { kind: 'hang', when: 'before' }, { kind: 'hang', when: 'after' }, { kind: 'reset', when: 'before' }, { kind: 'reset', when: 'after' },
      { kind: 'drip', chunkMs: 9 }, { kind: 'duplicate-ack' },
    ]);
    expect(() => parseStep('teapot')).toThrow(/unknown fault/);
  });
});
