import type { PermissionRecord, PermissionStatus } from '../core/decision-types.js';
import { ConsentError } from '../core/errors.js';
import { cooldown, featuresAffectedByRefusal, nextStep, osChange, resolveFeature } from '../core/permission-rules.js';
import type { Feature, Permission, PolicyDocument } from '../core/policy-types.js';
import type { AnchorBook } from './anchors.js';
import type { PermissionAnswer, PermissionDevice, PermissionResult, RationalePrompt, RequestPermissionOptions } from './types.js';

/** Everything the request flow needs, injected: the flow itself touches no global. */
export interface RequesterPorts {
  /** Settles once stored decisions are restored: before that, a refusal could be missed. */
  readonly ready: () => Promise<void>;
  readonly policy: () => PolicyDocument;
  /** The stored permission records (decisions.permissions). */
  readonly records: () => Readonly<Record<string, PermissionRecord>>;
  readonly device: PermissionDevice;
  readonly rationale: RationalePrompt | undefined;
  /** Wall clock, and a monotonic one (performance.now) where the environment has it. */
  readonly clock: { readonly now: () => number; readonly monotonic?: () => number };
  /** Records an outcome through the reducer (which emits the decision a receipt is made of). */
  readonly record: (permissionId: string, status: PermissionStatus, choice: 'continue' | 'not_now' | undefined, surface: 'permission_prompt' | 'host') => Promise<void>;
  readonly anchors: AnchorBook;
  readonly report: (error: ConsentError) => void;
}

export interface PermissionRequester {
  request(permissionId: string, options: RequestPermissionOptions): Promise<PermissionResult>;
  /** PP-07: re-reads the OS state of every permission asked before and records changes. */
  recheck(): Promise<void>;
  /** PP-06: call only from a tap on 去设置. */
  openSettings(permissionId: string): Promise<boolean>;
}

const asError = (error: unknown) =>
  error instanceof ConsentError ? error : new ConsentError('bridge-failed', `inapp-consent: ${String(error)}`, { cause: error });

/** The `requestPermission` flow (issue 5 §3) as a function of its ports. */
export function createPermissionRequester(ports: RequesterPorts): PermissionRequester {
  let current: { readonly key: string; readonly result: Promise<PermissionResult> } | undefined;
  let rechecking: Promise<void> | undefined;

  const clockNow = () => {
    const monotonic = ports.clock.monotonic?.();
    return { now: ports.clock.now(), ...(monotonic === undefined ? {} : { monotonic }) };
  };

  /** Records through the reducer, then anchors the new refusal stamp to this session's clock. */
  const record = async (id: string, status: PermissionStatus, choice: 'continue' | 'not_now' | undefined, surface: 'permission_prompt' | 'host') => {
    await ports.record(id, status, choice, surface);
    const refusedAt = ports.records()[id]?.refusedAt;
    if (refusedAt === undefined || (status !== 'denied' && status !== 'blocked')) return;
    const { monotonic } = clockNow();
    // An OS reporting `denied` by itself is a lapse (an "Only this time" grant expiring after
    // the app was backgrounded, Android 11+), not a person refusing: it starts no cooldown.
    const lapse = surface === 'host' && status === 'denied';
    ports.anchors.keep(id, { refusedAt, ...(monotonic === undefined ? {} : { monotonic }), ...(lapse ? { lapse } : {}) });
  };

  /** Records what the OS reports when it differs from what is stored (PP-07). */
  const sync = async (permission: Permission, answer: PermissionAnswer) => {
    const change = osChange(ports.records()[permission.id], answer.status);
    if (change) await record(permission.id, change, undefined, 'host');
  };

  const cooling = async (permission: Permission) => {
    const state = cooldown(ports.records()[permission.id], permission.askPolicy.cooldownHours, clockNow(), await ports.anchors.get(permission.id));
    if (state.anchor) ports.anchors.keep(permission.id, state.anchor);
    return state.active;
  };

  async function run(permission: Permission, feature: Feature, userInitiated: boolean, rationale: RationalePrompt): Promise<PermissionResult> {
    const base = { permission: permission.id, feature: feature.id };
    const resolve = (answer: PermissionAnswer, reason: PermissionResult['reason']): PermissionResult => {
      const refused = answer.status === 'denied' || answer.status === 'blocked';
      const { status, canAsk, source } = answer;
      return {
        ...base, status, canAsk, source, reason,
        ...(answer.serviceEnabled === undefined ? {} : { serviceEnabled: answer.serviceEnabled }),
        ...(answer.raw === undefined ? {} : { raw: answer.raw }),
        ...(refused ? { affects: featuresAffectedByRefusal(ports.policy(), permission.id) } : {}),
      };
    };
    const fail = (error: unknown): PermissionResult => {
      const consentError = asError(error);
      ports.report(consentError);
      // Nothing is recorded: a failure is not a refusal and starts no cooldown.
      return { ...base, status: 'unavailable', canAsk: false, source: ports.device.source, reason: 'error', error: consentError };
    };

    await ports.ready();
    let answer: PermissionAnswer;
    try {
      answer = await ports.device.check(permission);
      await sync(permission, answer);
    } catch (error) {
      return fail(error);
    }
    const { askPolicy } = permission;
    const step = nextStep({
      status: answer.status, cooling: await cooling(permission), userInitiated, allowUserInitiatedBypass: askPolicy.allowUserInitiatedBypass,
    });
    if (step.kind === 'resolve') return resolve(answer, step.reason);

    let choice: 'continue' | 'not_now';
    try {
      // PP-02: the OS dialog starts only after the rationale layer was on screen and answered.
      choice = await rationale(permission, { feature, userInitiated, action: step.action, status: answer.status });
    } catch (error) {
      return fail(new ConsentError('listener-failed', 'inapp-consent: the rationale prompt failed', { cause: error }));
    }
    if (choice !== 'continue') {
      await record(permission.id, answer.status, 'not_now', 'permission_prompt');
      return resolve(answer, 'not_now');
    }
    try {
      if (step.action === 'open_settings') {
        // PP-06: Settings open only here, after the person's tap; the answer comes on resume.
        await ports.device.openSettings(permission);
        return resolve(answer, 'settings');
      }
      const outcome = await ports.device.request(permission);
      await record(permission.id, outcome.status, 'continue', 'permission_prompt');
      return resolve(outcome, 'os');
    } catch (error) {
      return fail(error);
    }
  }

  return {
    async request(permissionId, options) {
      const { permission, feature } = resolveFeature(ports.policy(), permissionId, (options as Partial<RequestPermissionOptions> | undefined)?.feature);
      const { rationale } = ports;
      if (!rationale) {
        throw new ConsentError('invalid-options', 'inapp-consent: requestPermission needs a rationale prompt (PP-02): pass options.rationale, or use the widget build');
      }
      const userInitiated = options.userInitiated === true;
      const key = `${permission.id}\n${feature.id}\n${userInitiated}`;
      if (current) {
        // A double tap on the same feature joins the request on screen; anything else waits its turn (PP-03).
        if (current.key === key) return current.result;
        throw new ConsentError('permission-busy', `inapp-consent: a request for "${current.key.split('\n')[0]}" is on screen; permissions are asked one at a time (PP-03)`);
      }
      const result = run(permission, feature, userInitiated, rationale).finally(() => {
        current = undefined;
      });
      current = { key, result };
      return result;
    },

    recheck() {
      return (rechecking ??= (async () => {
        await ports.ready();
        const policy = ports.policy();
        for (const id of Object.keys(ports.records())) {
          const permission = policy.permissions.find((entry) => entry.id === id);
          // Android pauses the activity for its own permission dialog, so a resume can arrive
          // while a request is open: that request records its own outcome.
          if (!permission || current?.key.startsWith(`${id}\n`)) continue;
          try {
            await sync(permission, await ports.device.check(permission));
          } catch (error) {
            ports.report(asError(error));
          }
        }
      })().finally(() => {
        rechecking = undefined;
      }));
    },

    async openSettings(permissionId) {
      const permission = ports.policy().permissions.find((entry) => entry.id === permissionId);
      if (!permission) throw new ConsentError('permission-not-declared', `inapp-consent: permission "${permissionId}" is not declared (PP-01)`);
      try {
        return await ports.device.openSettings(permission);
      } catch (error) {
        ports.report(asError(error));
        return false;
      }
    },
  };
}
