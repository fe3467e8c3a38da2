import { describe, expect, it } from 'vitest';
import type { BridgeLink } from '../../src/bridge/connect.js';
import { bridgeError } from '../../src/bridge/client.js';
import { createMirror } from '../../src/bridge/mirror.js';
import type { ConsentError } from '../../src/core/errors.js';
import { INSTALL_ID_KEY, recordKey } from '../../src/core/stored-record.js';
import { createMemoryStore } from '../../src/storage/memory.js';

/** A link whose native end is a function of (method, params); every call is logged. */
function link(answer: (method: string, params: unknown) => unknown) {
  const calls: { method: string; params: unknown }[] = [];
  const value = {
    calls,
    call: async (method: string, params?: unknown) => {
      calls.push({ method, params });
      return answer(method, params);
    },
  };
  return value as unknown as BridgeLink & { calls: typeof calls };
}

describe('createMirror', () => {
  it('restores the record and the install id from one consent.get when the store is empty', async () => {
    const native = link(() => ({ policyId: 'app', record: { v: 1 }, subject: 'install-1' }));
    const store = createMirror(native, 'app', () => undefined).wrap(createMemoryStore());
    const [record, subject] = await Promise.all([store.get(recordKey('app')), store.get(INSTALL_ID_KEY)]);
    expect([record, subject]).toEqual([{ v: 1 }, 'install-1']);
    expect(native.calls).toEqual([{ method: 'consent.get', params: { policyId: 'app' } }]);
    expect(await store.get('other-key')).toBeUndefined();
  });

  it('ignores a native copy of another policy, and reports a failing consent.get', async () => {
    const errors: ConsentError[] = [];
    const other = createMirror(link(() => ({ policyId: 'other', record: { v: 1 } })), 'app', (error) => errors.push(error)).wrap(createMemoryStore());
    expect(await other.get(recordKey('app'))).toBeUndefined();
    const failing = createMirror(link(() => { throw bridgeError('E_INTERNAL', 'keychain locked'); }), 'app', (error) => errors.push(error)).wrap(createMemoryStore());
    expect(await failing.get(recordKey('app'))).toBeUndefined();
    expect(errors.map((error) => error.message)).toEqual([expect.stringContaining('keychain locked')]);
  });

  it('puts the snapshot with the last stored record, coalescing bursts to the latest state', async () => {
    const native = link(() => ({ stored: true }));
    const mirror = createMirror(native, 'app', () => undefined);
    const store = mirror.wrap(createMemoryStore());
    mirror.put({ ready: false, subject: 's' }); // nothing before the stored state is known
    await store.set(recordKey('app'), { v: 1, n: 1 });
    mirror.put({ ready: true, subject: 's', n: 1 } as never);
    mirror.put({ ready: true, subject: 's', n: 2 } as never);
    mirror.put({ ready: true, subject: 's', n: 3 } as never);
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(native.calls.map((call) => (call.params as { state: { n: number } }).state.n)).toEqual([1, 3]);
    expect(native.calls[1]?.params).toEqual({ policyId: 'app', state: { ready: true, subject: 's', n: 3 }, record: { v: 1, n: 1 }, subject: 's' });
  });

  it('sends the record a save wrote with update (one transaction), not the one before it', async () => {
    const native = link(() => ({ stored: true }));
    const mirror = createMirror(native, 'app', () => undefined);
    const store = mirror.wrap(createMemoryStore());
    await store.set(recordKey('app'), { v: 1, n: 1 });
    expect(await store.update!(recordKey('app'), (current) => ({ ...(current as object), n: 2 }))).toEqual({ v: 1, n: 2 });
    mirror.put({ ready: true, subject: 's' });
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(native.calls.at(-1)?.params).toMatchObject({ record: { v: 1, n: 2 } });
    // A store without update gets a wrapper without it (the save then reads, then writes).
    const { update: _, ...plain } = createMemoryStore();
    expect('update' in mirror.wrap(plain)).toBe(false);
  });

  it('keeps the wrapped store\'s other members (the resilient store\'s degraded flag)', () => {
    let degraded = false;
    const inner = { ...createMemoryStore(), get degraded() { return degraded; } };
    const wrapped = createMirror(link(() => null), 'app', () => undefined).wrap(inner);
    degraded = true;
    expect(wrapped.degraded).toBe(true);
    expect(wrapped.kind).toBe('memory');
  });
});
