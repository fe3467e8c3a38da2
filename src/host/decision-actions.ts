import type { ConsentAction, PermissionStatus, Surface } from '../core/decision-types.js';
import type { ConsentInstance } from './instance.js';

type Actions = Pick<ConsentInstance, 'agree' | 'decline' | 'dismiss' | 'setPurpose' | 'grant' | 'withdraw' | 'agreeChanges' | 'declineChanges' | 'recordPermission'>;

/**
 * The instance's decision methods as actions for the reducer, each with the surface it is taken
 * on by default (receipts record where a decision was made). `grant` and `withdraw` take a
 * purpose or a separate consent id; `isSeparate` tells them apart by the policy in force.
 */
export function decisionActions(dispatch: (action: ConsentAction) => Promise<void>, isSeparate: (id: string) => boolean): Actions {
  const setGrant = (id: string, granted: boolean, surface: Surface) =>
    dispatch(isSeparate(id) ? { type: 'set-separate-consent', consentId: id, granted, surface } : { type: 'set-purpose', purposeId: id, granted, surface });
  return {
    agree: (surface = 'first_launch') => dispatch({ type: 'agree-basic', surface }),
    decline: (surface = 'first_launch') => dispatch({ type: 'decline-basic', surface }),
    dismiss: () => dispatch({ type: 'dismiss' }),
    setPurpose: (purposeId, on, surface = 'privacy_center') => dispatch({ type: 'set-purpose', purposeId, granted: on, surface }),
    grant: (id, surface = 'separate_dialog') => setGrant(id, true, surface),
    withdraw: (id, surface = 'privacy_center') => setGrant(id, false, surface),
    agreeChanges: (optionalPurposeIds = [], surface = 'policy_change') => dispatch({ type: 'agree-changes', optionalPurposeIds, surface }),
    declineChanges: (surface = 'policy_change') => dispatch({ type: 'decline-changes', surface }),
    recordPermission: (permissionId: string, status: PermissionStatus, choice?: 'continue' | 'not_now') =>
      dispatch({ type: 'record-permission', permissionId, status, surface: 'permission_prompt', ...(choice ? { choice } : {}) }),
  };
}
