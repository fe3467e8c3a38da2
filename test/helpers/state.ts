import { EMPTY_DECISIONS, type ConsentAction, type ConsentState } from '../../src/core/decision-types.js';
import { reduce } from '../../src/core/decisions.js';
import { preparePolicy } from '../../src/core/policy-prepare.js';
import type { PolicyDocument } from '../../src/core/policy-types.js';
import { fixturePolicy } from '../fixtures/policy.js';

export const T0 = Date.UTC(2026, 10, 22, 12, 0, 0);

export function initialState(policy: PolicyDocument = fixturePolicy()): ConsentState {
  return { policy: preparePolicy(policy), decisions: EMPTY_DECISIONS };
}

/** Applies actions one after another, a minute apart, and returns the final state. */
export function apply(state: ConsentState, ...actions: ConsentAction[]): ConsentState {
  return actions.reduce((current, action, index) => reduce(current, action, T0 + index * 60_000).state, state);
}

/** The fixture with one purpose's text changed, as a new policy version would. */
export function withChangedPurpose(policy: PolicyDocument, purposeId: string, label: string): PolicyDocument {
  return {
    ...policy,
    policy: { ...policy.policy, version: `${policy.policy.version}-next` },
    purposes: policy.purposes.map((purpose) => (purpose.id === purposeId ? { ...purpose, label } : purpose)),
  };
}
