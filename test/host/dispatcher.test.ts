/**
 * The dispatcher (src/host/dispatcher.ts) with a queue and a store we step by hand: what readers
 * see at dispatch, and what each save is given, in every order a save, a merge, a failure or an
 * adoption can come in.
 */
import { signal } from '@preact/signals-core';
import { describe, expect, it } from 'vitest';
import { isGranted } from '../../src/core/consent-read.js';
import type { ConsentAction, ConsentState, Decisions, Transition } from '../../src/core/decision-types.js';
import { createDispatcher } from '../../src/host/dispatcher.js';
import { apply, initialState, T0 } from '../helpers/state.js';

const agree: ConsentAction = { type: 'agree-basic', surface: 'first_launch' };
const marketing = (granted: boolean): ConsentAction => ({ type: 'set-purpose', purposeId: 'marketing', granted, surface: 'privacy_center' });
const location: ConsentAction = { type: 'record-permission', permissionId: 'location', status: 'denied', surface: 'permission_prompt' };

/** A dispatcher whose saves each wait for `finish` (answering the decisions stored, or failing). */
function harness(start: ConsentState = initialState()) {
  const state = signal(start);
  let clock = T0;
  const saves: { before: Decisions; transition: Transition; finish: (stored?: Decisions | Error) => void }[] = [];
  const published: ConsentState[] = [];
  let queue: Promise<unknown> = Promise.resolve();
  const dispatcher = createDispatcher({
    state,
    now: () => (clock += 1000),
    enqueue: (job) => {
      const run = queue.then(job);
      queue = run.catch(() => undefined);
      return run;
    },
    persist: (transition, before) => new Promise((resolve, reject) => {
      saves.push({ before, transition, finish: (stored = transition.state.decisions) => (stored instanceof Error ? reject(stored) : resolve(stored)) });
    }),
    publish: () => void published.push(state.value),
  });
  const granted = (id: string) => isGranted(state.value, id);
  /** Lets the queue reach its next save. */
  const tick = () => new Promise((resolve) => setTimeout(resolve, 0));
  return { state, dispatcher, saves, published, granted, tick };
}

describe('createDispatcher', () => {
  it('WD-01: applies each action at dispatch, in order, while the saves run one at a time behind', async () => {
    const { dispatcher, saves, published, granted, tick } = harness();
    dispatcher.open();
    expect(dispatcher.held()).toBeUndefined(); // nothing was dispatched before: no wait
    const done = [agree, marketing(true), marketing(false)].map((action) => dispatcher.dispatch(action));
    expect([granted('account'), granted('marketing')]).toEqual([true, false]);
    expect(published).toHaveLength(3);
    await tick();
    expect(saves).toHaveLength(1); // the second waits for the first
    saves[0]!.finish();
    await tick();
    expect(saves).toHaveLength(2);
    // Each save is the action applied to what the previous one stored.
    expect(saves[1]!.before).toBe(saves[0]!.transition.state.decisions);
    saves[1]!.finish();
    await tick();
    saves[2]!.finish();
    await Promise.all(done);
    expect(saves.map((save) => save.transition.effects.find((effect) => effect.type === 'record'))).toMatchObject([
      { event: { kind: 'agree' } }, { event: { kind: 'purpose', changes: [{ id: 'marketing', granted: true }] } }, { event: { kind: 'purpose', changes: [{ id: 'marketing', granted: false }] } },
    ]);
    expect(published).toHaveLength(3); // nothing merged: nothing more to tell
  });

  it('rejects an action the policy does not allow at once, applying nothing', async () => {
    const { dispatcher, state, saves } = harness();
    dispatcher.open();
    const before = state.value;
    await expect(dispatcher.dispatch({ type: 'set-purpose', purposeId: 'real_name', granted: false, surface: 'host' })).rejects.toMatchObject({ code: 'invalid-action' });
    expect(state.value).toBe(before);
    expect(saves).toHaveLength(0);
  });

  it('CG-05: a save that merged another writer\'s decisions rebuilds what readers see: theirs, with ours still unsaved on top', async () => {
    const { dispatcher, saves, state, published, granted, tick } = harness();
    dispatcher.open();
    const done = [dispatcher.dispatch(agree), dispatcher.dispatch(marketing(true))];
    await tick();
    const theirs = apply(initialState(), location).decisions;
    saves[0]!.finish({ ...saves[0]!.transition.state.decisions, permissions: theirs.permissions });
    await tick();
    expect(state.value.decisions.permissions.location).toMatchObject({ status: 'denied' });
    expect([granted('account'), granted('marketing')]).toEqual([true, true]);
    expect(published).toHaveLength(3);
    // The next save starts from the merged record.
    expect(saves[1]!.before.permissions.location).toMatchObject({ status: 'denied' });
    saves[1]!.finish();
    await Promise.all(done);
    expect(state.value.decisions.permissions.location).toMatchObject({ status: 'denied' });
  });

  it('CG-05: an adoption while decisions wait to be saved goes under them: readers keep seeing ours', async () => {
    const { dispatcher, saves, state, granted, tick } = harness(apply(initialState(), agree));
    dispatcher.open();
    const done = [dispatcher.dispatch(marketing(true)), dispatcher.dispatch(marketing(false))];
    dispatcher.adopt({ ...dispatcher.settled().decisions, permissions: apply(initialState(), location).decisions.permissions });
    expect(granted('marketing')).toBe(false);
    expect(state.value.decisions.permissions.location).toMatchObject({ status: 'denied' });
    await tick();
    expect(saves[0]!.before.permissions.location).toMatchObject({ status: 'denied' });
    saves[0]!.finish();
    await tick();
    saves[1]!.finish();
    await Promise.all(done);
    expect(granted('marketing')).toBe(false);
  });

  it('WD-01: a save that fails keeps the decision visible and in what the next save builds on, and rejects its action', async () => {
    const { dispatcher, saves, granted, tick } = harness(apply(initialState(), agree, marketing(true)));
    dispatcher.open();
    const withdrawing = dispatcher.dispatch(marketing(false));
    const next = dispatcher.dispatch(location);
    await tick();
    saves[0]!.finish(new Error('disk'));
    await expect(withdrawing).rejects.toThrow('disk');
    expect(granted('marketing')).toBe(false);
    await tick();
    expect(saves[1]!.before.purposes.marketing).toMatchObject({ granted: false });
    saves[1]!.finish();
    await next;
    expect(granted('marketing')).toBe(false);
  });

  it('holds actions dispatched before open, and behind one still being resolved, and applies them in order', async () => {
    const { dispatcher, saves, granted, tick } = harness();
    expect(dispatcher.held()).toBeInstanceOf(Promise);
    const early = dispatcher.dispatch(agree);
    expect(granted('account')).toBe(false);
    dispatcher.open();
    await dispatcher.held();
    expect(granted('account')).toBe(true);
    expect(dispatcher.held()).toBeUndefined();
    let resolve!: (action: ConsentAction) => void;
    const late = dispatcher.dispatch(new Promise<ConsentAction>((done) => (resolve = done)));
    const after = dispatcher.dispatch(marketing(false));
    expect(granted('marketing')).toBe(false);
    const third = dispatcher.dispatch(marketing(true));
    expect(granted('marketing')).toBe(false); // waits behind the unresolved action
    resolve(marketing(false));
    await dispatcher.held();
    expect(granted('marketing')).toBe(true);
    expect(dispatcher.held()).toBeUndefined();
    for (let index = 0; index < 4; index++) {
      await tick();
      saves[index]!.finish();
    }
    await Promise.all([early, late, after, third]);
    expect(saves.map((save) => save.transition.state.decisions.purposes.marketing?.granted)).toEqual([undefined, false, false, true]);
  });
});
