import { isGranted } from './consent-read.js';
import type { ConsentState } from './decision-types.js';
import type { PolicyDocument, Purpose } from './policy-types.js';
import type { KantaraController, KantaraPurpose } from './receipt-types.js';

/**
 * The Kantara Consent Receipt v1.1 part of a receipt, from the policy and the state after the
 * decision. Kantara models "what was consented to" and has no refusal flag, so `services`
 * lists only what is in force after the event: a Kantara-only reader of a refusal receipt sees
 * no consent, which is true. Refusals and withdrawals are in `x.decisions`.
 */

/** The first contact of a channel, or '' (Kantara requires the fields, not that we invent values). */
function contact(policy: PolicyDocument, channel: string): string {
  return policy.controller.contacts.find((entry) => entry.channel === channel)?.value ?? '';
}

export function kantaraControllers(policy: PolicyDocument): KantaraController[] {
  const address = policy.controller.addresses?.[0];
  const url = contact(policy, 'web');
  return [{
    piiController: policy.controller.name,
    contact: policy.controller.contacts[0]?.value ?? '',
    address: address ? { streetAddress: address.text } : {},
    email: contact(policy, 'email'),
    phone: contact(policy, 'phone'),
    ...(url ? { piiControllerUrl: url } : {}),
  }];
}

function purposeCategory(purpose: Purpose): string[] {
  // Only the Kantara codes that match without doubt; the code list has no location, device or
  // biometric-verification category (§2.1), and `x.decisions` names every purpose exactly.
  if (purpose.consentMode === 'basic_bundle' || purpose.consentMode === 'notice_only') return ['1 - Core Function'];
  return purpose.isPersonalization ? ['5 - Personalized Experience'] : [];
}

/**
 * Every retention rule of the notice, once per receipt (`x.retention`). Purposes name the rules
 * they follow by id: repeating the texts per purpose made a receipt of seed kltong ~28 KB.
 */
export function retentionRules(policy: PolicyDocument): { id: string; text: string }[] {
  return policy.retentionRules.map((rule) => ({ id: rule.id, text: rule.text }));
}

/** The ids of the retention rules a purpose points at, else of the policy-wide ones. */
function retentionIds(policy: PolicyDocument, purpose: Purpose): string[] {
  const own = policy.retentionRules.filter((rule) => purpose.retentionRuleIds?.includes(rule.id));
  return (own.length > 0 ? own : policy.retentionRules.filter((rule) => rule.appliesTo.scope === 'all')).map((rule) => rule.id);
}

/**
 * One purpose in Kantara's terms, kept short: texts the notice already holds are named by id
 * (data items, retention rules), and the notice itself is pinned by id, version and sha256 in
 * `x.notice`, so every id resolves to exactly the text the person was shown.
 */
function kantaraPurpose(policy: PolicyDocument, purpose: Purpose): KantaraPurpose {
  const recipients = policy.recipients.filter((recipient) => purpose.recipients?.includes(recipient.id));
  const retention = retentionIds(policy, purpose);
  return {
    purpose: purpose.label,
    // Purposes resting on a contract or a legal obligation are processed without consent (PIPL 13).
    consentType: purpose.legalBasis === 'consent' ? 'EXPLICIT' : 'N/A',
    purposeCategory: purposeCategory(purpose),
    piiCategory: [...purpose.items],
    primaryPurpose: purpose.consentMode === 'basic_bundle' || purpose.consentMode === 'notice_only',
    termination: retention.length > 0 ? `x.retention: ${retention.join(', ')}` : 'as stated in the privacy policy',
    thirdPartyDisclosure: recipients.length > 0,
    ...(recipients.length > 0 ? { thirdPartyName: recipients.map((recipient) => recipient.name).join(', ') } : {}),
  };
}

/** The purposes in force after the decision, as one Kantara service (the app). */
export function kantaraServices(state: ConsentState): { service: string; purposes: KantaraPurpose[] }[] {
  const policy = state.policy.document;
  const inForce = policy.purposes.filter((purpose) => isGranted(state, purpose.id));
  return [{ service: policy.policy.title, purposes: inForce.map((purpose) => kantaraPurpose(policy, purpose)) }];
}

/**
 * Kantara's `sensitive` and `spiCat` over the data items in play: those of the purposes in
 * force and of the separate consents decided now. Categories are PIPL 28's (whereabouts,
 * biometric…), since Kantara's list has none for location.
 */
export function sensitiveCategories(state: ConsentState, separateConsentIds: readonly string[]): string[] {
  const policy = state.policy.document;
  const items = new Set<string>();
  for (const purpose of policy.purposes) if (isGranted(state, purpose.id)) purpose.items.forEach((id) => items.add(id));
  for (const consent of policy.separateConsents) if (separateConsentIds.includes(consent.id)) consent.items?.forEach((id) => items.add(id));
  const categories = policy.dataItems.filter((item) => items.has(item.id) && item.sensitive).map((item) => item.sensitive?.pipl28 ?? 'other');
  return [...new Set(categories)];
}
