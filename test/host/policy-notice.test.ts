import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import { beforeEach, expect, it } from 'vitest';
import type { DecisionEvent } from '../../src/core/decision-types.js';
import { createConsent } from '../../src/host/create-consent.js';
import { createMemoryStore } from '../../src/storage/memory.js';
import { fixturePolicy } from '../fixtures/policy.js';

beforeEach(() => {
  globalThis.indexedDB = new IDBFactory();
});

it('CH-01: a non-material policy change between launches is recorded once, without re-asking', async () => {
  const disk = createMemoryStore();
  const storage = { kind: 'custom' as const, get: disk.get, set: disk.set, del: disk.del };
  const first = createConsent({ policy: fixturePolicy(), storage, subject: 'pseudonym' });
  await first.agree();
  first.destroy();
  const document = fixturePolicy();
  const next = { ...document, policy: { ...document.policy, summary: '新的摘要', version: '1.1' } };
  const launches: DecisionEvent[][] = [];
  for (let launch = 0; launch < 2; launch++) {
    const consent = createConsent({ policy: next, storage, subject: 'pseudonym' });
    const decisions: DecisionEvent[] = [];
    consent.on('decision', (event) => decisions.push(event));
    await consent.ready;
    await consent.flush();
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(consent.needsConsent).toBe(false);
    launches.push(decisions);
    consent.destroy();
  }
  expect(launches[0]!.map((event) => [event.kind, event.policyVersion])).toEqual([['policy_notice', '1.1']]);
  expect(launches[1]).toEqual([]);
});
