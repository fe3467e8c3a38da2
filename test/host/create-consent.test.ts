import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { ConsentError } from '../../src/core/errors.js';
import { createConsent } from '../../src/host/create-consent.js';
import type { ConsentSnapshot } from '../../src/host/snapshot.js';
import { createMemoryStore } from '../../src/storage/memory.js';
import { fixturePolicy } from '../fixtures/policy.js';
import { withChangedPurpose } from '../helpers/state.js';

beforeEach(() => {
  // A fresh, empty IndexedDB for every test.
  globalThis.indexedDB = new IDBFactory();
});

describe('createConsent', () => {
  it('needs consent on first launch and grants nothing (FL-01)', async () => {
    const consent = createConsent({ policy: fixturePolicy() });
    expect(consent.isGranted('account')).toBe(false);
    await consent.ready;
    expect(consent.needsConsent).toBe(true);
    expect(consent.state.value.decision).toBe('undecided');
    expect(consent.isGranted('account')).toBe(false);
  });

  it('CG-05: a second instance over the same database restores exactly the decisions made', async () => {
    const first = createConsent({ policy: fixturePolicy() });
    await first.ready;
    await first.agree();
    await first.setPurpose('marketing', true);
    const before = first.state.value;
    first.destroy();

    const second = createConsent({ policy: fixturePolicy() });
    await second.ready;
    expect(second.needsConsent).toBe(false);
    expect(second.state.value.granted).toEqual(before.granted);
    expect(second.state.value.subject).toBe(before.subject);
    expect(second.isGranted('marketing')).toBe(true);
  });

  it('CH-01: after one purpose changes materially, only that purpose is asked again', async () => {
    const first = createConsent({ policy: fixturePolicy() });
    await first.ready;
    await first.agree();
    await first.setPurpose('marketing', true);

    const second = createConsent({ policy: withChangedPurpose(fixturePolicy(), 'marketing', '个性化推送及电话营销') });
    await second.ready;
    expect(second.needsConsent).toBe(true);
    expect(second.state.value.pending).toEqual({ purposes: ['marketing'], separateConsents: [] });
    expect(second.isGranted('marketing')).toBe(false);
    expect(second.isGranted('account')).toBe(true);
  });

  it('WD-01: withdrawal is visible synchronously, before the write settles', async () => {
    const consent = createConsent({ policy: fixturePolicy() });
    await consent.agree();
    await consent.grant('marketing');
    const seen: boolean[] = [];
    consent.subscribe(() => seen.push(consent.isGranted('marketing')));
    await consent.withdraw('marketing');
    expect(seen[0]).toBe(false);
    expect(consent.isGranted('marketing')).toBe(false);
  });

  it('dispatches inappconsent:change on window with the snapshot', async () => {
    const target = new EventTarget();
    vi.stubGlobal('window', target);
    vi.stubGlobal('CustomEvent', class extends Event { detail: unknown; constructor(type: string, init: { detail: unknown }) { super(type); this.detail = init.detail; } });
    const details: ConsentSnapshot[] = [];
    target.addEventListener('inappconsent:change', (event) => details.push((event as CustomEvent<ConsentSnapshot>).detail));
    const consent = createConsent({ policy: fixturePolicy(), storage: 'memory' });
    await consent.ready;
    await consent.agree();
    vi.unstubAllGlobals();
    expect(details.at(-1)).toMatchObject({ decision: 'agreed', granted: { account: true } });
  });

  it('emits one decision event per recorded decision', async () => {
    const consent = createConsent({ policy: fixturePolicy(), storage: 'memory' });
    const kinds: string[] = [];
    consent.on('decision', (event) => kinds.push(event.kind));
    await consent.dismiss();
    await consent.decline();
    await consent.agree();
    await consent.recordPermission('location', 'denied', 'not_now');
    expect(kinds).toEqual(['decline', 'agree', 'permission']);
  });

  it('applies actions in the order they were called, even before ready', async () => {
    const consent = createConsent({ policy: fixturePolicy(), storage: 'memory' });
    const a = consent.agree();
    const b = consent.grant('marketing');
    const c = consent.withdraw('marketing');
    await Promise.all([a, b, c]);
    expect(consent.isGranted('marketing')).toBe(false);
    expect(consent.isGranted('account')).toBe(true);
  });

  it('rejects an action the policy does not allow, and keeps working', async () => {
    const consent = createConsent({ policy: fixturePolicy(), storage: 'memory' });
    await expect(consent.withdraw('real_name')).rejects.toMatchObject({ code: 'invalid-action' });
    await consent.agree();
    expect(consent.isGranted('account')).toBe(true);
  });

  it('contains a listener that throws and reports it as an error event', async () => {
    const consent = createConsent({ policy: fixturePolicy(), storage: 'memory' });
    const errors: ConsentError[] = [];
    consent.on('error', (error) => errors.push(error));
    consent.on('change', () => { throw new Error('host bug'); });
    await consent.agree();
    expect(consent.isGranted('account')).toBe(true);
    expect(errors.map((error) => error.code)).toContain('listener-failed');
  });

  it('uses the subject the host gives instead of an install id', async () => {
    const consent = createConsent({ policy: fixturePolicy(), storage: 'memory', subject: 'sha256:ab12' });
    await consent.ready;
    expect(consent.state.value.subject).toBe('sha256:ab12');
  });

  it('generates a random install id (SD-01: no device identifier) and keeps it', async () => {
    const store = createMemoryStore();
    const first = createConsent({ policy: fixturePolicy(), storage: store });
    await first.ready;
    expect(first.state.value.subject).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    const second = createConsent({ policy: fixturePolicy(), storage: store });
    await second.ready;
    expect(second.state.value.subject).toBe(first.state.value.subject);
  });

  it('updatePolicy keeps decisions and re-asks what changed', async () => {
    const consent = createConsent({ policy: fixturePolicy(), storage: 'memory' });
    await consent.agree();
    await consent.updatePolicy(withChangedPurpose(fixturePolicy(), 'account', '账号与安全'));
    expect(consent.needsConsent).toBe(true);
    await consent.agreeChanges();
    expect(consent.needsConsent).toBe(false);
    expect(() => consent.updatePolicy({ ...fixturePolicy(), policy: { ...fixturePolicy().policy, id: 'other' } })).toThrow(/differs/);
  });

  it('rejects actions after destroy', async () => {
    const consent = createConsent({ policy: fixturePolicy(), storage: 'memory' });
    consent.destroy();
    await expect(consent.agree()).rejects.toMatchObject({ code: 'destroyed' });
  });
});

describe('createConsent: bad input', () => {
  it('throws invalid-options naming every bad option', () => {
    const attempt = () => createConsent({ policy: fixturePolicy(), endpoint: 'ftp://x', storage: 'disk', colour: 'red' } as never);
    expect(attempt).toThrow(ConsentError);
    try { attempt(); } catch (error) {
      const consentError = error as ConsentError;
      expect(consentError.code).toBe('invalid-options');
      expect(consentError.problems.map((problem) => problem.path)).toEqual(['colour', 'endpoint', 'storage']);
      expect(consentError.message).toMatch(/options\.endpoint: expected an http\(s\) URL/);
    }
  });

  it('throws invalid-policy listing every problem with its path', () => {
    const policy = fixturePolicy() as unknown as Record<string, unknown>;
    const broken = { ...policy, locale: 7, features: [] };
    try {
      createConsent({ policy: broken });
      expect.unreachable();
    } catch (error) {
      expect((error as ConsentError).code).toBe('invalid-policy');
      expect((error as ConsentError).message).toMatch(/locale: expected/);
      expect((error as ConsentError).message).toMatch(/features: expected at least one feature/);
    }
  });
});
