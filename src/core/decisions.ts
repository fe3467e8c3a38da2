import { needsConsent, pendingChanges } from './consent-read.js';
import type {
  ConsentAction, ConsentState, DecisionChange, DecisionEvent, DecisionKind, Decisions, Grant, Surface, Transition,
} from './decision-types.js';
import { ConsentError } from './errors.js';

const invalid = (message: string) => new ConsentError('invalid-action', `inapp-consent: ${message}`);

/**
 * The consent state machine: a pure function of the state, one action and the time. It never
 * grants anything without an action that stands for a tap, and it returns effects (persist,
 * record a receipt) as values for the shell to carry out.
 *
 * @throws ConsentError `invalid-action` when the action names an id the policy does not declare
 *   or asks for something the policy does not allow (switching a legal-obligation purpose).
 */
export function reduce(state: ConsentState, action: ConsentAction, now: number): Transition {
  const { policy, decisions } = state;
  const { document, hashes } = policy;
  const grant = (granted: boolean, hash: string | undefined): Grant => ({ granted, hash: hash ?? '', at: now });
  const purposeChange = (id: string, granted: boolean): DecisionChange => ({ scope: 'purpose', id, granted, hash: hashes.purposes[id] ?? '' });

  const commit = (next: Decisions, kind: DecisionKind, changes: DecisionChange[], surface: Surface | undefined, on = policy): Transition => {
    const event: DecisionEvent = {
      kind, surface: surface ?? 'host', at: now, changes,
      policyId: on.document.policy.id, policyVersion: on.document.policy.version, policyHash: on.hashes.policy,
    };
    return { state: { policy: on, decisions: next }, effects: [{ type: 'persist' }, { type: 'record', event }] };
  };
  const seen = (on: typeof policy) => ({ ...decisions.basic, policyHash: on.hashes.policy, policyVersion: on.document.policy.version });
  const withPurposes = (changes: DecisionChange[]): Decisions['purposes'] => {
    const purposes = { ...decisions.purposes };
    for (const change of changes) if (change.scope === 'purpose') purposes[change.id] = grant(change.granted, change.hash);
    return purposes;
  };
  const basicBundle = document.purposes.filter((purpose) => purpose.consentMode === 'basic_bundle');
  const basic = (decision: 'agreed' | 'declined') => ({
    decision, at: now, policyHash: hashes.policy, policyVersion: document.policy.version,
  });

  switch (action.type) {
    case 'dismiss':
      // FL-03: closing the dialog (back key, tap outside, Esc) is no decision at all.
      return { state, effects: [] };

    case 'agree-basic': {
      // FL-05, CG-03: 同意 grants the basic bundle only; optional purposes and separate consents
      // keep whatever the person chose for them (off unless switched on).
      const changes = basicBundle.map((purpose) => purposeChange(purpose.id, true));
      return commit({ ...decisions, basic: basic('agreed'), purposes: withPurposes(changes) }, 'agree', changes, action.surface);
    }

    case 'decline-basic': {
      // FL-04: declining is recorded (receipts prove refusals too) and leads to limited mode.
      const changes = basicBundle.map((purpose) => purposeChange(purpose.id, false));
      return commit({ ...decisions, basic: basic('declined'), purposes: withPurposes(changes) }, 'decline', changes, action.surface);
    }

    case 'set-purpose': {
      const purpose = policy.purposes.get(action.purposeId);
      if (!purpose) throw invalid(`purposeId "${action.purposeId}" is not a purpose of policy "${document.policy.id}"`);
      if (purpose.consentMode !== 'basic_bundle' && purpose.consentMode !== 'optional_toggle') {
        throw invalid(
          `purpose "${purpose.id}" has consentMode "${purpose.consentMode}": only basic_bundle and optional_toggle purposes are switched; ` +
            (purpose.consentMode === 'notice_only' ? `it rests on ${purpose.legalBasis}, not consent` : 'use its separate consent'),
        );
      }
      const changes = [purposeChange(purpose.id, action.granted)];
      return commit({ ...decisions, purposes: withPurposes(changes) }, 'purpose', changes, action.surface);
    }

    case 'set-separate-consent': {
      if (!policy.separateConsents.has(action.consentId)) {
        throw invalid(`consentId "${action.consentId}" is not a separate consent of policy "${document.policy.id}"`);
      }
      const hash = hashes.separateConsents[action.consentId] ?? '';
      const changes: DecisionChange[] = [{ scope: 'separate_consent', id: action.consentId, granted: action.granted, hash }];
      const separateConsents = { ...decisions.separateConsents, [action.consentId]: grant(action.granted, hash) };
      return commit({ ...decisions, separateConsents }, 'separate_consent', changes, action.surface);
    }

    case 'agree-changes':
    case 'decline-changes': {
      // FL-01, CH-02: a change dialog answers for someone who agreed before. For someone who
      // never agreed (or declined) there is no agreement to update: agreeing to changes must
      // not stand in for the first-launch 同意, so nothing happens and nothing is recorded.
      if (decisions.basic.decision !== 'agreed') return { state, effects: [] };
      // CH-01: a changed policy re-asks only what changed; changed optional purposes come back
      // on only when the person switches each one on again (no bundled re-consent, CG-03).
      const agreeing = action.type === 'agree-changes';
      const chosen = new Set(agreeing ? (action.optionalPurposeIds ?? []) : []);
      const changes = pendingChanges(state).purposes.map((id) => {
        const optional = policy.purposes.get(id)?.consentMode === 'optional_toggle';
        return purposeChange(id, agreeing && (!optional || chosen.has(id)));
      });
      const next = { ...decisions, purposes: withPurposes(changes), basic: agreeing ? basic('agreed') : seen(policy) };
      return commit(next, 'policy_change', changes, action.surface);
    }

    case 'record-permission': {
      if (!document.permissions.some((permission) => permission.id === action.permissionId)) {
        throw invalid(`permissionId "${action.permissionId}" is not a permission of policy "${document.policy.id}"`);
      }
      const previous = decisions.permissions[action.permissionId];
      const refused = action.status === 'denied' || action.status === 'blocked';
      const refusedAt = refused ? now : previous?.refusedAt;
      const record = { status: action.status, at: now, ...(refusedAt === undefined ? {} : { refusedAt }) };
      const changes: DecisionChange[] = [
        { scope: 'permission', id: action.permissionId, status: action.status, ...(action.choice ? { choice: action.choice } : {}) },
      ];
      const permissions = { ...decisions.permissions, [action.permissionId]: record };
      return commit({ ...decisions, permissions }, 'permission', changes, action.surface);
    }

    case 'load-policy': {
      // CG-05: a new policy never rewrites a decision; what it changes is derived from the
      // hashes the decisions were made on (see pendingChanges / isGranted).
      const loaded: ConsentState = { policy: action.policy, decisions };
      const { basic: last } = decisions;
      // CH-01: a change that re-asks nothing (no purpose text changed) is still a new notice:
      // record, once, that it was applied to someone who had agreed — the receipt proves which
      // text was in force — without asking and without counting it as agreement (CH-02).
      // A material change is recorded by the change dialog's answer; an undecided or declined
      // person is shown the policy in force when they next decide.
      if (last.decision !== 'agreed' || last.policyHash === undefined || last.policyHash === action.policy.hashes.policy || needsConsent(loaded)) {
        return { state: loaded, effects: [] };
      }
      return commit({ ...decisions, basic: seen(action.policy) }, 'policy_notice', [], 'policy_change', action.policy);
    }
  }
}
