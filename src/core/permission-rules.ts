import type { PermissionRecord, PermissionStatus } from './decision-types.js';
import { ConsentError } from './errors.js';
import type { Feature, Permission, PolicyDocument } from './policy-types.js';

/**
 * When to explain, when to ask and when to stop asking for a device permission: the rules of
 * reference/china-consent-rules-and-seeds.md §A.5 as pure functions of data and the time.
 */

const HOUR_MS = 3_600_000;

/**
 * PP-03 and PP-01: one permission per call, asked for a declared feature that needs it.
 * Checked before any UI, so a wrong call shows nothing at all.
 *
 * @throws ConsentError `invalid-action` for anything but one permission id (an array bundles
 *   several permissions, MIIT2023 不得一揽子); `permission-not-declared` when the permission or
 *   the feature is missing from the policy, or the feature does not map to the permission.
 */
export function resolveFeature(policy: PolicyDocument, permissionId: unknown, featureId: unknown): { permission: Permission; feature: Feature } {
  if (typeof permissionId !== 'string') {
    throw new ConsentError('invalid-action', 'inapp-consent: requestPermission asks for one permission id per call (PP-03)');
  }
  const notDeclared = (message: string) => new ConsentError('permission-not-declared', `inapp-consent: ${message} (PP-01)`);
  const permission = policy.permissions.find((entry) => entry.id === permissionId);
  if (!permission) throw notDeclared(`permission "${permissionId}" is not declared in policy "${policy.policy.id}"`);
  if (typeof featureId !== 'string' || featureId === '') {
    throw notDeclared(`requestPermission("${permissionId}") needs the feature that is starting: { feature: "…" }`);
  }
  const feature = policy.features.find((entry) => entry.id === featureId);
  if (!feature) throw notDeclared(`feature "${featureId}" is not declared in policy "${policy.policy.id}"`);
  // Either side of the mapping counts; the linter (PP-08) reports when the two disagree.
  if (!permission.features.includes(feature.id) && !feature.permissions?.includes(permission.id)) {
    throw notDeclared(`feature "${feature.id}" does not use permission "${permission.id}"`);
  }
  return { permission, feature };
}

/**
 * PP-04: the features a refusal of this permission stops or degrades. Every other feature keeps
 * working (PIPL 16), so hosts gate only these.
 */
export function featuresAffectedByRefusal(policy: PolicyDocument, permissionId: string): readonly string[] {
  const permission = policy.permissions.find((entry) => entry.id === permissionId);
  if (!permission) return [];
  return permission.refusalImpact.affects ?? permission.features;
}

/**
 * Where a cooldown is counted from. `monotonic` is a reading of a clock that only moves forward
 * within one session (performance.now); `wall` is the time a refusal stamped in the future was
 * first seen, kept across restarts.
 */
export interface CooldownAnchor {
  readonly refusedAt: number;
  readonly wall?: number;
  readonly monotonic?: number;
  /**
   * The stamp came from the OS reporting `denied` on its own (an Android "Only this time" grant
   * lapsing, or "ask every time" chosen in settings), not from a person refusing: no cooldown.
   */
  readonly lapse?: boolean;
}

export interface CooldownClock {
  readonly now: number;
  readonly monotonic?: number;
}

export interface Cooldown {
  readonly active: boolean;
  readonly remainingMs: number;
  /** A new anchor the caller must keep (a refusal from the future was seen for the first time). */
  readonly anchor?: CooldownAnchor;
}

/**
 * PP-05: after a refusal, no prompt for `cooldownHours`. The stored refusal time is wall-clock,
 * and wall clocks move: users set them back, phones fix them from the network.
 * - Within the session that saw the refusal, the monotonic reading alone counts, so moving the
 *   clock either way neither ends nor extends the cooldown.
 * - Otherwise the wall clock counts. A refusal stamped in the future (the clock went back, or
 *   was fast when the person refused) counts as made when first seen: setting the clock back
 *   never shortens a cooldown, and the returned anchor, once kept, ends the wait `cooldownHours`
 *   later instead of leaving the prompt stuck until the clock reaches the stamp.
 * - A clock set back and later restored counts from the stamp again, not from the anchor.
 * - What cannot be detected across restarts: a clock moved forward between sessions ends the
 *   cooldown early, because it looks exactly like time passing.
 */
export function cooldown(record: PermissionRecord | undefined, cooldownHours: number, clock: CooldownClock, anchor?: CooldownAnchor): Cooldown {
  const refusedAt = record?.refusedAt;
  if (refusedAt === undefined || !(cooldownHours > 0)) return { active: false, remainingMs: 0 };
  const length = cooldownHours * HOUR_MS;
  const own = anchor?.refusedAt === refusedAt ? anchor : undefined;
  if (own?.lapse) return { active: false, remainingMs: 0 };
  const result = (elapsed: number, next?: CooldownAnchor): Cooldown => ({
    active: elapsed < length,
    remainingMs: Math.max(0, length - elapsed),
    ...(next ? { anchor: next } : {}),
  });
  if (own?.monotonic !== undefined && clock.monotonic !== undefined) return result(clock.monotonic - own.monotonic);
  // Once the clock reads at or after the stamp again, only time since the refusal counts: an
  // anchor kept while the stamp looked future must not turn a clock set back and then restored
  // into years of "elapsed" time (which would end the cooldown at once).
  const elapsed = clock.now >= refusedAt ? clock.now - refusedAt : own?.wall === undefined ? -1 : clock.now - own.wall;
  if (elapsed >= 0) return result(elapsed);
  return result(0, { refusedAt, wall: clock.now, ...(clock.monotonic === undefined ? {} : { monotonic: clock.monotonic }) });
}

/** What `requestPermission` does next, given what the OS says now. */
export type PermissionStep =
  | { readonly kind: 'resolve'; readonly reason: 'current' | 'cooldown' | 'blocked' }
  | { readonly kind: 'prompt'; readonly action: 'request' | 'open_settings' };

/**
 * The decision table of a request:
 * - granted, limited or unavailable: nothing to ask (PP-02 explains only before an OS dialog);
 * - inside the cooldown, no prompt unless the person started it and the policy allows that
 *   bypass (PP-05);
 * - blocked: the OS will not show its dialog again. Settings are offered only when the person
 *   started the request; the SDK never opens them by itself (PP-06);
 * - denied (still requestable): the rationale prompt, then the OS dialog.
 */
export function nextStep(input: {
  readonly status: PermissionStatus;
  readonly cooling: boolean;
  readonly userInitiated: boolean;
  readonly allowUserInitiatedBypass: boolean;
}): PermissionStep {
  const { status, cooling, userInitiated, allowUserInitiatedBypass } = input;
  if (status === 'granted' || status === 'limited' || status === 'unavailable') return { kind: 'resolve', reason: 'current' };
  const bypass = userInitiated && allowUserInitiatedBypass;
  if (cooling && !bypass) return { kind: 'resolve', reason: 'cooldown' };
  if (status === 'blocked') return userInitiated ? { kind: 'prompt', action: 'open_settings' } : { kind: 'resolve', reason: 'blocked' };
  return { kind: 'prompt', action: 'request' };
}

/**
 * PP-07: whether a status read from the OS (on resume, or before a request) is a change to
 * record. The SDK never sets permission state itself; it records what the OS reports.
 * - Android's check cannot tell "never asked" from "blocked" and answers `denied` for both
 *   (reference §3.2), so stored `blocked` read back as `denied` is no change.
 * - A permission never asked through the SDK is recorded only once it is actually held.
 */
export function osChange(stored: PermissionRecord | undefined, checked: PermissionStatus): PermissionStatus | undefined {
  if (!stored) return checked === 'granted' || checked === 'limited' ? checked : undefined;
  if (stored.status === checked) return undefined;
  if (stored.status === 'blocked' && checked === 'denied') return undefined;
  return checked;
}
