import { createBridgeClient } from '../../src/bridge/client.js';
import { createNativeDevice } from '../../src/bridge/native-device.js';
import type { ConsentState, PermissionStatus, Surface } from '../../src/core/decision-types.js';
import { reduce } from '../../src/core/decisions.js';
import type { ConsentError } from '../../src/core/errors.js';
import type { PolicyDocument } from '../../src/core/policy-types.js';
import { createAnchorBook } from '../../src/permissions/anchors.js';
import { createPermissionRequester } from '../../src/permissions/requester.js';
import type { RationaleContext } from '../../src/permissions/types.js';
import { createNativeHost, type SimulatorOptions } from '../../examples/simulator/native-host.js';
import { initialState, T0 } from '../helpers/state.js';
import { permissionPolicy } from './policy.js';

export const HOUR = 3_600_000;

/**
 * The request flow over the simulated native host, the real bridge client and the real
 * reducer, with a clock the test moves. `restart()` is a new session over the same stored
 * decisions and anchors (the monotonic clock starts again, as performance.now does).
 */
export function harness(options: SimulatorOptions & { policy?: PolicyDocument; requestTimeoutMs?: number } = {}) {
  const host = createNativeHost(options);
  const errors: ConsentError[] = [];
  const report = (error: ConsentError) => errors.push(error);
  const client = createBridgeClient(host.transport(), { report, timeouts: { 'permission.request': options.requestTimeoutMs ?? 200 } });
  const recorded: { id: string; status: PermissionStatus; choice?: 'continue' | 'not_now'; surface: Surface }[] = [];
  const prompts: ({ id: string } & Omit<RationaleContext, 'feature'> & { feature: string })[] = [];
  const anchorStorage: { value?: unknown } = {};
  const answers: ('continue' | 'not_now' | Error | Promise<'continue' | 'not_now'>)[] = [];
  const clock = { now: T0, monotonic: 0 };
  let state: ConsentState = initialState(options.policy ?? permissionPolicy());

  const start = () =>
    createPermissionRequester({
      ready: async () => undefined,
      policy: () => state.policy.document,
      records: () => state.decisions.permissions,
      device: createNativeDevice(client),
      rationale: async (permission, context) => {
        prompts.push({ id: permission.id, ...context, feature: context.feature.id });
        const answer = answers.shift() ?? 'continue';
        if (answer instanceof Error) throw answer;
        return answer;
      },
      clock: { now: () => clock.now, monotonic: () => clock.monotonic },
      record: async (id, status, choice, surface) => {
        recorded.push({ id, status, ...(choice ? { choice } : {}), surface });
        state = reduce(state, { type: 'record-permission', permissionId: id, status, surface, ...(choice ? { choice } : {}) }, clock.now).state;
      },
      anchors: createAnchorBook({ get: async () => anchorStorage.value, set: async (value) => void (anchorStorage.value = value) }),
      report,
    });

  const harnessState = {
    host, errors, recorded, prompts, answers, clock, anchorStorage,
    requester: start(),
    get state() {
      return state;
    },
    /** Moves both clocks, as time passing does. */
    advance(ms: number) {
      clock.now += ms;
      clock.monotonic += ms;
    },
    restart() {
      clock.monotonic = 0;
      harnessState.requester = start();
    },
  };
  return harnessState;
}
