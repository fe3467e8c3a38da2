import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startReceiver, type Receiver } from '../../examples/receiver/receiver.js';
import { createConsent } from '../../src/host/create-consent.js';
import { verifyReceipt } from '../../src/verify/index.js';
import { fixturePolicy } from '../fixtures/policy.js';
import { harness, HOUR } from '../permissions/harness.js';

/**
 * Issue 8 item 9: a device clock years off. Phones boot with their clock at the epoch, at the
 * firmware build date, or set by hand; receipts must still be accepted (the device's `iat` is
 * only the device's word, the receiver stamps its own `receivedAt`, §2.5), and cooldowns
 * (PP-05) must neither end nor stick because the clock moved.
 */

const YEAR = 365 * 24 * HOUR;
const SKEWS = [['20 years slow', -20 * YEAR], ['30 years fast', 30 * YEAR], ['at the epoch', -Date.now()]] as const;

describe('receipts from a device clock years off', () => {
  let dataDir: string;
  let receiver: Receiver;
  beforeEach(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'skew-'));
    receiver = await startReceiver({ dataDir });
  });
  afterEach(async () => {
    await receiver.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  it.each(SKEWS)('%s: accepted and chained; iat is the device time, receivedAt the receiver\'s', async (_name, skew) => {
    const device = () => Date.now() + skew;
    const consent = createConsent({ policy: fixturePolicy(), storage: 'memory', endpoint: `${receiver.url}/receipts`, fetch: globalThis.fetch, now: device, iss: 'com.example.skew' });
    await consent.ready;
    await consent.agree();
    await consent.setPurpose('marketing', true);
    await consent.flush();
    expect(await consent.pendingReceipts()).toEqual([]);
    expect(await consent.deadReceipts()).toEqual([]);
    const lines = (await readFile(join(dataDir, 'receipts.jsonl'), 'utf8')).trim().split('\n').map((line) => JSON.parse(line) as { jws: string; receivedAt: number });
    expect(lines).toHaveLength(2);
    const realSeconds = Date.now() / 1000;
    for (const line of lines) {
      const { payload } = verifyReceipt(line.jws);
      expect(Math.abs(line.receivedAt - realSeconds)).toBeLessThan(60);
      expect(Math.abs(payload.iat - (realSeconds + skew / 1000))).toBeLessThan(60);
    }
    consent.destroy();
  });
});

describe('cooldowns with the clock moved by years (PP-05)', () => {
  it('within the session, jumping the wall clock years forward or back neither ends nor sticks the cooldown', async () => {
    const h = harness();
    h.answers.push('not_now');
    await h.requester.request('location', { feature: 'nearby' });
    h.clock.now += 30 * YEAR;
    await expect(h.requester.request('location', { feature: 'nearby' })).resolves.toMatchObject({ reason: 'cooldown' });
    h.clock.now -= 60 * YEAR;
    await expect(h.requester.request('location', { feature: 'nearby' })).resolves.toMatchObject({ reason: 'cooldown' });
    h.advance(48 * HOUR); // real time passing: the monotonic clock ends it, wherever the wall clock is
    await expect(h.requester.request('location', { feature: 'nearby' })).resolves.toMatchObject({ reason: 'os', status: 'granted' });
  });

  it('refused with the clock years fast, corrected across a restart: no bypass, and not stuck until the stamp', async () => {
    const h = harness();
    h.clock.now += 30 * YEAR;
    h.answers.push('not_now');
    await h.requester.request('location', { feature: 'nearby' });
    h.restart();
    h.clock.now -= 30 * YEAR; // the network fixes the clock; the app is relaunched
    await expect(h.requester.request('location', { feature: 'nearby' })).resolves.toMatchObject({ reason: 'cooldown' });
    h.restart();
    h.advance(47 * HOUR);
    await expect(h.requester.request('location', { feature: 'nearby' })).resolves.toMatchObject({ reason: 'cooldown' });
    h.restart();
    h.advance(HOUR);
    await expect(h.requester.request('location', { feature: 'nearby' })).resolves.toMatchObject({ reason: 'os', status: 'granted' });
  });

  it('a clock set years back after a refusal, across a restart, does not end the cooldown', async () => {
    const h = harness();
    h.answers.push('not_now');
    await h.requester.request('location', { feature: 'nearby' });
    h.restart();
    h.clock.now -= 10 * YEAR;
    await expect(h.requester.request('location', { feature: 'nearby' })).resolves.toMatchObject({ reason: 'cooldown' });
    // Set back to the true time minutes after the refusal: still cooling (the anchor kept while
    // the stamp looked future must not count as ten years elapsed).
    h.restart();
    h.clock.now += 10 * YEAR;
    await expect(h.requester.request('location', { feature: 'nearby' })).resolves.toMatchObject({ reason: 'cooldown' });
  });
});
