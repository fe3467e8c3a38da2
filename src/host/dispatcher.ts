import type { Signal } from '@preact/signals-core';
import { reduce } from '../core/decisions.js';
import type { ConsentAction, ConsentState, DecisionEvent, Decisions, Transition } from '../core/decision-types.js';

export interface DispatcherOptions {
  /** What readers see (isGranted, the state signal, the change event): set at dispatch. */
  readonly state: Signal<ConsentState>;
  readonly now: () => number;
  /** Runs a job after every job queued before it (the instance's queue of saves and adoptions). */
  readonly enqueue: (job: () => Promise<void>) => Promise<void>;
  /**
   * Stores one decision and makes its receipt: `transition` is the action applied to the state
   * as stored, `before` its decisions. Answers the decisions stored (merged with another writer's).
   */
  readonly persist: (transition: Transition, before: Decisions) => Promise<Decisions>;
  /** Tells readers the state changed. */
  readonly publish: () => void;
  /** Told of each decision an action records, as it is applied (before its save). */
  readonly recorded?: (event: DecisionEvent) => void;
}

/**
 * Applies each action to what readers see the moment it is dispatched (WD-01: a withdrawal
 * takes effect at once), and queues its save and receipt behind the previous ones, which take
 * milliseconds (an IndexedDB read-merge-write, a signature).
 *
 * Two states are kept. `settled` is what the queue has reached: the record as stored, with what
 * other tabs stored adopted. Readers see `settled` with the actions not yet saved applied on top,
 * in order. A save applies its action again, with the time it was dispatched at, to `settled`,
 * as when actions were applied in the queue, so the record and the receipt are the same as
 * then; only when a merge brought something in is what readers see rebuilt. An action that
 * cannot be applied yet — before `open` (stored decisions restored), or behind a policy update
 * still being hashed — waits for it; `held` settles once those waiting are applied.
 */
export function createDispatcher({ state, now, enqueue, persist, publish, recorded }: DispatcherOptions) {
  let settled = state.value;
  const unsaved: [ConsentAction, number][] = [];
  let open!: () => void;
  let fail!: (error: unknown) => void;
  /** Set while actions wait to be applied: the application of the last of them. */
  let held: Promise<unknown> | undefined = new Promise<void>((resolve, reject) => ((open = resolve), (fail = reject)));
  const restoring = held;
  restoring.catch(() => undefined); // seen by each action that waits on it

  // An action's validity depends on the policy only, and `settled` has each one's policy: this
  // applies every action it applied at dispatch.
  const rebase = (next: ConsentState) => {
    settled = next;
    state.value = unsaved.reduce((current, [action, at]) => reduce(current, action, at).state, settled);
    publish();
  };

  const save = async () => {
    const [action, at] = unsaved[0]!;
    let next = settled;
    let stored: Decisions | undefined;
    try {
      const transition = reduce(next, action, at);
      // Kept if the save fails, as readers keep seeing it (the store reports the failure).
      next = transition.state;
      stored = await persist(transition, settled.decisions);
    } finally {
      unsaved.shift();
      if (stored && stored !== next.decisions) rebase({ policy: next.policy, decisions: stored });
      else settled = next;
    }
  };

  const apply = (action: ConsentAction): Promise<void> => {
    const at = now();
    const transition = reduce(state.value, action, at);
    state.value = transition.state;
    for (const effect of transition.effects) if (effect.type === 'record') recorded?.(effect.event);
    unsaved.push([action, at]);
    // Queued before readers are told: an action a listener dispatches is saved after this one.
    const saved = enqueue(save);
    if (transition.effects.length > 0 || action.type === 'load-policy') publish();
    return saved;
  };

  return {
    /** `next` may be a promise (a policy update still being hashed): later actions wait for it. */
    dispatch(next: ConsentAction | Promise<ConsentAction>): Promise<void> {
      if (!held && !(next instanceof Promise)) return new Promise((resolve) => resolve(apply(next)));
      // Applied in a wrapper, so that `held` does not wait for the save.
      const applied = Promise.all([held, next]).then(([, action]) => [apply(action)] as const);
      const last: Promise<unknown> = (held = applied.catch(() => undefined).then(() => void (held === last && (held = undefined))));
      return applied.then(([saved]) => saved);
    },
    /** Stored decisions are restored into `state`: what was dispatched meanwhile is applied. */
    open() {
      settled = state.value;
      open();
      if (held === restoring) held = undefined;
    },
    /** The start failed (an invalid policy found before `ready`): every action rejects with it. */
    fail: (error: unknown) => fail(error),
    /** Settles once every action dispatched so far is applied (rejects only after `fail`). */
    held: () => held,
    /** The state the queue has reached (for a job in the queue: a receipt, an adoption). */
    settled: () => settled,
    /** In the queue: another tab's decisions, adopted into the settled ones. */
    adopt: (decisions: Decisions) => rebase({ policy: settled.policy, decisions }),
  };
}
