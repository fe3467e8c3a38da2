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
    // What the widget shows once (or a headless host tells people of itself).
    expect(consent.policyNotice?.kind).toBe(launch === 0 ? 'policy_notice' : undefined);
    launches.push(decisions);
    consent.destroy();
  }
  expect(launches[0]!.map((event) => [event.kind, event.policyVersion])).toEqual([['policy_notice', '1.1']]);
  expect(launches[1]).toEqual([]);
});

it('CH-01: policyNotice is the notice an updatePolicy recorded; none for a plain launch or a material change', async () => {
  const consent = createConsent({ policy: fixturePolicy(), storage: 'memory', subject: 'pseudonym' });
  await consent.ready;
  expect(consent.policyNotice).toBeUndefined();
  await consent.agree();
  const document = fixturePolicy();
  await consent.updatePolicy({ ...document, policy: { ...document.policy, version: '1.1', changeSummary: '更新了联系方式。' } });
  expect(consent.policyNotice).toMatchObject({ kind: 'policy_notice', policyVersion: '1.1' });
  const noticed = consent.policyNotice;
  // A material change (a purpose's text) re-asks instead: no new notice.
  const [purpose] = document.purposes;
  await consent.updatePolicy({ ...document, policy: { ...document.policy, version: '1.2' }, purposes: [{ ...purpose!, label: `${purpose!.label}（更新）` }, ...document.purposes.slice(1)] });
  expect(consent.needsConsent).toBe(true);
  expect(consent.policyNotice).toBe(noticed);
  consent.destroy();
});
