import { describe, expect, it } from 'vitest';
import type { PermissionRecord } from '../../src/core/decision-types.js';
import { cooldown, featuresAffectedByRefusal, nextStep, osChange, resolveFeature } from '../../src/core/permission-rules.js';
import { permissionPolicy } from './policy.js';

const HOUR = 3_600_000;
const T = Date.UTC(2026, 0, 10, 8);
const refused = (at: number, status: PermissionRecord['status'] = 'denied'): PermissionRecord => ({ status, at, refusedAt: at });

describe('PP-01 resolveFeature', () => {
  const policy = permissionPolicy();

  it('accepts a declared feature that uses the permission, from either side of the mapping', () => {
    expect(resolveFeature(policy, 'location', 'nearby').feature.id).toBe('nearby');
    expect(resolveFeature(policy, 'camera', 'verify_face').permission.kind).toBe('camera'); // only permission.features names it
  });

  it('rejects a missing feature, an undeclared feature or permission, and a feature that does not use it', () => {
    expect(() => resolveFeature(policy, 'location', undefined)).toThrow(expect.objectContaining({ code: 'permission-not-declared', message: expect.stringMatching(/needs the feature/) }));
    expect(() => resolveFeature(policy, 'location', '')).toThrow(expect.objectContaining({ code: 'permission-not-declared' }));
    expect(() => resolveFeature(policy, 'location', 'teleport')).toThrow(/feature "teleport" is not declared/);
    expect(() => resolveFeature(policy, 'microphone', 'nearby')).toThrow(/permission "microphone" is not declared/);
    expect(() => resolveFeature(policy, 'location', 'register')).toThrow(/feature "register" does not use permission "location" \(PP-01\)/);
  });
});

describe('PP-03 resolveFeature', () => {
  it('throws for several permissions in one call', () => {
    expect(() => resolveFeature(permissionPolicy(), ['location', 'camera'], 'nearby')).toThrow(expect.objectContaining({ code: 'invalid-action', message: expect.stringMatching(/one permission id per call \(PP-03\)/) }));
  });
});

describe('PP-04 featuresAffectedByRefusal', () => {
  it('names only the features the refusal impact lists, so every other feature keeps working', () => {
    expect(featuresAffectedByRefusal(permissionPolicy(), 'location')).toEqual(['nearby']);
    expect(featuresAffectedByRefusal(permissionPolicy(), 'unknown')).toEqual([]);
  });
});

describe('PP-05 cooldown', () => {
  it('is active for cooldownHours after a refusal, then ends', () => {
    expect(cooldown(refused(T), 48, { now: T + 47 * HOUR })).toEqual({ active: true, remainingMs: HOUR });
    expect(cooldown(refused(T), 48, { now: T + 48 * HOUR }).active).toBe(false);
    expect(cooldown({ status: 'granted', at: T }, 48, { now: T }).active).toBe(false);
    expect(cooldown(undefined, 48, { now: T }).active).toBe(false);
    expect(cooldown(refused(T), 0, { now: T }).active).toBe(false);
  });

  it('within the refusing session counts the monotonic clock only: moving the wall clock either way changes nothing', () => {
    const anchor = { refusedAt: T, monotonic: 1_000 };
    expect(cooldown(refused(T), 48, { now: T + 100 * HOUR, monotonic: 1_000 + HOUR }, anchor).active).toBe(true); // clock moved forward
    expect(cooldown(refused(T), 48, { now: T - 100 * HOUR, monotonic: 1_000 + 47 * HOUR }, anchor).active).toBe(true); // moved back
    expect(cooldown(refused(T), 48, { now: T - 100 * HOUR, monotonic: 1_000 + 48 * HOUR }, anchor).active).toBe(false);
  });

  it('counts a refusal stamped in the future as made when first seen: an earlier clock never bypasses it', () => {
    const first = cooldown(refused(T), 48, { now: T - 24 * HOUR });
    expect(first).toMatchObject({ active: true, remainingMs: 48 * HOUR, anchor: { refusedAt: T, wall: T - 24 * HOUR } });
    // A year back is no different.
    expect(cooldown(refused(T), 48, { now: T - 365 * 24 * HOUR }).active).toBe(true);
  });

  it('ends a future-stamped cooldown cooldownHours after first seen, instead of leaving it stuck until the stamp', () => {
    const farFuture = T + 5 * 365 * 24 * HOUR; // refused while the clock was five years fast
    const { anchor } = cooldown(refused(farFuture), 48, { now: T });
    expect(cooldown(refused(farFuture), 48, { now: T + 47 * HOUR }, anchor).active).toBe(true);
    expect(cooldown(refused(farFuture), 48, { now: T + 48 * HOUR }, anchor).active).toBe(false);
    // Set back again, behind the anchor: counted from the new sighting (never shorter).
    expect(cooldown(refused(farFuture), 48, { now: T - HOUR }, anchor)).toMatchObject({ active: true, anchor: { wall: T - HOUR } });
  });

  it('ignores an anchor kept for an older refusal', () => {
    expect(cooldown(refused(T), 48, { now: T + HOUR, monotonic: 5 }, { refusedAt: T - 1, monotonic: 0 }).remainingMs).toBe(47 * HOUR);
  });

  it('starts no cooldown for a lapse the OS reported by itself', () => {
    expect(cooldown(refused(T), 48, { now: T + HOUR }, { refusedAt: T, lapse: true }).active).toBe(false);
  });
});

describe('PP-06 nextStep', () => {
  const step = (status: Parameters<typeof nextStep>[0]['status'], options: { cooling?: boolean; userInitiated?: boolean; bypass?: boolean } = {}) =>
    nextStep({ status, cooling: options.cooling ?? false, userInitiated: options.userInitiated ?? false, allowUserInitiatedBypass: options.bypass ?? true });

  it('offers settings for blocked only when the person started the request', () => {
    expect(step('blocked')).toEqual({ kind: 'resolve', reason: 'blocked' });
    expect(step('blocked', { userInitiated: true })).toEqual({ kind: 'prompt', action: 'open_settings' });
  });

  it('prompts before the OS dialog only for a requestable permission (PP-02)', () => {
    expect(step('denied')).toEqual({ kind: 'prompt', action: 'request' });
    for (const status of ['granted', 'limited', 'unavailable'] as const) expect(step(status)).toEqual({ kind: 'resolve', reason: 'current' });
  });

  it('PP-05: inside the cooldown prompts only when user-initiated and the policy allows the bypass', () => {
    expect(step('denied', { cooling: true })).toEqual({ kind: 'resolve', reason: 'cooldown' });
    expect(step('denied', { cooling: true, userInitiated: true })).toEqual({ kind: 'prompt', action: 'request' });
    expect(step('denied', { cooling: true, userInitiated: true, bypass: false })).toEqual({ kind: 'resolve', reason: 'cooldown' });
    expect(step('granted', { cooling: true })).toEqual({ kind: 'resolve', reason: 'current' });
  });
});

describe('PP-07 osChange', () => {
  it('records what the OS reports when it differs from what is stored', () => {
    expect(osChange({ status: 'granted', at: T }, 'blocked')).toBe('blocked');
    expect(osChange({ status: 'granted', at: T }, 'denied')).toBe('denied');
    expect(osChange(refused(T), 'granted')).toBe('granted');
    expect(osChange({ status: 'granted', at: T }, 'granted')).toBeUndefined();
  });

  it('does not read Android\'s "denied" for a stored block as a change (check cannot tell them apart)', () => {
    expect(osChange(refused(T, 'blocked'), 'denied')).toBeUndefined();
  });

  it('records a permission never asked through the SDK only once it is held', () => {
    expect(osChange(undefined, 'granted')).toBe('granted');
    expect(osChange(undefined, 'limited')).toBe('limited');
    expect(osChange(undefined, 'denied')).toBeUndefined();
    expect(osChange(undefined, 'unavailable')).toBeUndefined();
  });
});
