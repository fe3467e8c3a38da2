import type { ConsentState, Grant } from './decision-types.js';

/** What a policy change asks again: only what materially changed (CG-04, CH-01). */
export interface PendingChanges {
  readonly purposes: readonly string[];
  readonly separateConsents: readonly string[];
}

const current = (grant: Grant | undefined, hash: string | undefined) => grant !== undefined && grant.hash === hash;
// Own entries only: "constructor" or "toString" is a valid id, and a plain index would find
// Object.prototype's member for it and take that for a decision.
const grantOf = (grants: Readonly<Record<string, Grant>>, id: string): Grant | undefined => (Object.hasOwn(grants, id) ? grants[id] : undefined);

/** A separate consent counts only while the text it was given for is the text now in force. */
export function isSeparateConsentGranted(state: ConsentState, consentId: string): boolean {
  const grant = grantOf(state.decisions.separateConsents, consentId);
  return grant?.granted === true && current(grant, state.policy.hashes.separateConsents[consentId]);
}

/**
 * Whether the host may process for a purpose, or act on a separate consent, now.
 * - notice-only purposes (a legal obligation or contract, not consent) follow the first-launch
 *   agreement: nothing is processed before a tap (FL-01);
 * - basic-bundle and optional purposes need their own current grant (FL-05, CG-04);
 * - whatever its mode, a purpose needs every separate consent the policy ties to it (SC-01…SC-04:
 *   the general 同意 never satisfies a separate one). A notice-only purpose is no exception:
 *   seed lakala-pay's real-name check rests on a legal obligation, yet the face liveness it
 *   collects is asked separately, so the purpose cannot run on the notice alone;
 * - separate and guardian purposes need all their separate consents;
 * - written consent cannot be given in a webview at all (SC-05): the host must obtain it.
 */
export function isGranted(state: ConsentState, id: string): boolean {
  const { policy, decisions } = state;
  const purpose = policy.purposes.get(id);
  if (!purpose) return isSeparateConsentGranted(state, id);
  const tied = policy.document.separateConsents.filter((consent) => consent.purposeId === id);
  const tiedGranted = tied.every((consent) => isSeparateConsentGranted(state, consent.id));
  switch (purpose.consentMode) {
    case 'notice_only':
      return decisions.basic.decision === 'agreed' && tiedGranted;
    case 'basic_bundle':
    case 'optional_toggle': {
      const grant = grantOf(decisions.purposes, id);
      return grant?.granted === true && current(grant, policy.hashes.purposes[id]) && tiedGranted;
    }
    case 'separate':
    case 'guardian':
      return tied.length > 0 && tiedGranted;
    case 'written':
      return false;
  }
}

/** Every purpose and separate consent id with its `isGranted` answer, for O(1) reads. */
export function grantedMap(state: ConsentState): ReadonlyMap<string, boolean> {
  const ids = [...state.policy.purposes.keys(), ...state.policy.separateConsents.keys()];
  return new Map(ids.map((id) => [id, isGranted(state, id)]));
}

/**
 * Purposes and separate consents the person had agreed to whose content has since changed, and
 * basic-bundle purposes that are new since the first-launch agreement. Declined or never-granted
 * optional items are not re-asked (WD-02: no re-soliciting what was refused).
 */
export function pendingChanges(state: ConsentState): PendingChanges {
  const { policy, decisions } = state;
  if (decisions.basic.decision !== 'agreed') return { purposes: [], separateConsents: [] };
  const purposes = policy.document.purposes
    .filter((purpose) => {
      const grant = grantOf(decisions.purposes, purpose.id);
      const hash = policy.hashes.purposes[purpose.id];
      if (purpose.consentMode === 'basic_bundle') return grant === undefined || (grant.hash !== hash && grant.granted);
      return purpose.consentMode === 'optional_toggle' && grant?.granted === true && grant.hash !== hash;
    })
    .map((purpose) => purpose.id);
  const separateConsents = policy.document.separateConsents
    .filter((consent) => {
      const grant = grantOf(decisions.separateConsents, consent.id);
      return grant?.granted === true && grant.hash !== policy.hashes.separateConsents[consent.id];
    })
    .map((consent) => consent.id);
  return { purposes, separateConsents };
}

/**
 * True on first launch and after a material change to something the person had agreed to.
 * False after a decline: the limited mode is not re-asked at every launch (FL-04, WD-02).
 */
export function needsConsent(state: ConsentState): boolean {
  return state.decisions.basic.decision === 'undecided' || pendingChanges(state).purposes.length > 0;
}
