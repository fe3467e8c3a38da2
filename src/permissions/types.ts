import type { PermissionStatus } from '../core/decision-types.js';
import type { ConsentError } from '../core/errors.js';
import type { Feature, Permission } from '../core/policy-types.js';

/**
 * What the OS (through the bridge) or the browser says about one permission, in
 * react-native-permissions' vocabulary: `denied` means "still requestable", `blocked` means
 * "settings only" (the Web Permissions API and Capacitor call that state `denied`).
 */
export interface PermissionAnswer {
  readonly status: PermissionStatus;
  /** Whether the OS would show its dialog if asked now. */
  readonly canAsk: boolean;
  /** Android's shouldShowRequestPermissionRationale, when the host reports it. */
  readonly rationale?: boolean;
  /** Location services or the Bluetooth radio switched off: not a permission state. */
  readonly serviceEnabled?: boolean;
  /** The platform's own value, for support and receipts' audit trail. */
  readonly raw?: unknown;
  readonly source: 'native' | 'web';
}

/** The device end of a permission request: the native bridge or the web fallback. */
export interface PermissionDevice {
  readonly source: 'native' | 'web';
  check(permission: Permission): Promise<PermissionAnswer>;
  request(permission: Permission): Promise<PermissionAnswer>;
  /** Opens the app's page in system settings; the real answer arrives on resume. */
  openSettings(permission: Permission): Promise<boolean>;
}

/** What the rationale prompt is shown for (PP-02). */
export interface RationaleContext {
  readonly feature: Feature;
  readonly userInitiated: boolean;
  /** `open_settings`: the OS will not ask again, so the one button leads to 去设置 (PP-06). */
  readonly action: 'request' | 'open_settings';
  readonly status: PermissionStatus;
}

/**
 * The "why we need this" layer shown before the OS dialog: permission name, feature and
 * purpose on screen (PP-02). Resolves `continue` (the one button that leads on, as Apple's HIG
 * asks) or `not_now`.
 */
export type RationalePrompt = (permission: Permission, context: RationaleContext) => Promise<'continue' | 'not_now'>;

/**
 * Why a request resolved as it did:
 * - `current`: the OS state needed no prompt (already granted or limited, or unavailable);
 * - `cooldown`: refused within `cooldownHours`, so not asked (PP-05);
 * - `blocked`: settings only, and the request was not started by the person (PP-06);
 * - `not_now`: refused in the rationale prompt; `os`: answered in the OS dialog;
 * - `settings`: the person chose 去设置; the answer arrives on resume (PP-07);
 * - `error`: the bridge or the prompt failed; `error` says how, and nothing was recorded.
 */
export type PermissionReason = 'current' | 'cooldown' | 'blocked' | 'not_now' | 'os' | 'settings' | 'error';

/** What `requestPermission` resolves with. It never rejects for environment failures. */
export interface PermissionResult {
  readonly permission: string;
  readonly feature: string;
  readonly status: PermissionStatus;
  readonly canAsk: boolean;
  readonly reason: PermissionReason;
  readonly serviceEnabled?: boolean;
  readonly raw?: unknown;
  readonly source: 'native' | 'web';
  /** The features this refusal stops; every other feature keeps working (PP-04). */
  readonly affects?: readonly string[];
  readonly error?: ConsentError;
}

/** Options of `requestPermission`. */
export interface RequestPermissionOptions {
  /** The feature that is starting and needs the permission (PP-01). */
  readonly feature: string;
  /** The person tapped something that asks for it (去开启, a privacy-center toggle): bypasses the cooldown (PP-05). */
  readonly userInitiated?: boolean;
}
