import { ConsentError, formatProblems, type Problem } from './errors.js';
import { POLICY_SHAPE } from './policy-shape.js';
import type { PolicyDocument } from './policy-types.js';
import { checkShape } from './shape.js';

type Ids = ReadonlySet<string>;

/**
 * Every problem in a policy document: its shape first, then (when the shape holds) every
 * reference between its parts. Returns an empty list for a valid document.
 */
export function validatePolicy(document: unknown): Problem[] {
  const problems: Problem[] = [];
  checkShape(POLICY_SHAPE, document, '', problems);
  if (problems.length === 0) checkReferences(document as PolicyDocument, problems);
  return problems;
}

/**
 * Returns the document typed as a policy, or throws a `ConsentError('invalid-policy')` whose
 * message lists every problem with its path.
 */
export function parsePolicy(document: unknown): PolicyDocument {
  const problems = validatePolicy(document);
  if (problems.length > 0) {
    throw new ConsentError('invalid-policy', `inapp-consent: the policy has ${problems.length} problem(s):\n${formatProblems(problems)}`, { problems });
  }
  return document as PolicyDocument;
}

function collectIds(list: readonly { id: string }[], path: string, problems: Problem[], into = new Set<string>()): Set<string> {
  list.forEach((entry, index) => {
    if (into.has(entry.id)) problems.push({ path: `${path}[${index}].id`, message: `duplicates the id "${entry.id}"` });
    into.add(entry.id);
  });
  return into;
}

function checkReferences(policy: PolicyDocument, problems: Problem[]): void {
  const items = collectIds(policy.dataItems, 'dataItems', problems);
  const features = collectIds(policy.features, 'features', problems);
  const permissions = collectIds(policy.permissions, 'permissions', problems);
  const recipients = collectIds(policy.recipients, 'recipients', problems);
  const sdks = collectIds(policy.sdks, 'sdks', problems);
  const retention = collectIds(policy.retentionRules, 'retentionRules', problems);
  // Purposes and separate consents share one namespace: isGranted(id) answers for either.
  const purposes = collectIds(policy.purposes, 'purposes', problems);
  collectIds(policy.separateConsents, 'separateConsents', problems, new Set(purposes));

  const refs = (list: readonly string[] | undefined, known: Ids, noun: string, path: string) =>
    list?.forEach((ref, index) => {
      if (!known.has(ref)) problems.push({ path: `${path}[${index}]`, message: `refers to ${noun} "${ref}", which the policy does not declare` });
    });
  const ref = (value: string | undefined, known: Ids, noun: string, path: string) => {
    if (value !== undefined && !known.has(value)) problems.push({ path, message: `refers to ${noun} "${value}", which the policy does not declare` });
  };

  policy.features.forEach((feature, f) => {
    const at = `features[${f}]`;
    feature.items.forEach((item, i) => ref(item.id, items, 'data item', `${at}.items[${i}].id`));
    refs(feature.permissions, permissions, 'permission', `${at}.permissions`);
    refs(feature.refusalImpact.affects, features, 'feature', `${at}.refusalImpact.affects`);
    feature.permissions?.forEach((permissionId, p) => {
      const permission = policy.permissions.find((candidate) => candidate.id === permissionId);
      if (permission && !permission.features.includes(feature.id)) {
        problems.push({ path: `${at}.permissions[${p}]`, message: `lists permission "${permissionId}", but that permission's features do not include "${feature.id}"` });
      }
    });
  });
  policy.purposes.forEach((purpose, p) => {
    const at = `purposes[${p}]`;
    refs(purpose.features, features, 'feature', `${at}.features`);
    refs(purpose.items, items, 'data item', `${at}.items`);
    refs(purpose.permissions, permissions, 'permission', `${at}.permissions`);
    refs(purpose.recipients, recipients, 'recipient', `${at}.recipients`);
    refs(purpose.retentionRuleIds, retention, 'retention rule', `${at}.retentionRuleIds`);
    refs(purpose.refusalImpact?.affects, features, 'feature', `${at}.refusalImpact.affects`);
  });
  policy.separateConsents.forEach((consent, s) => {
    const at = `separateConsents[${s}]`;
    refs(consent.items, items, 'data item', `${at}.items`);
    ref(consent.purposeId, purposes, 'purpose', `${at}.purposeId`);
    ref(consent.recipientId, recipients, 'recipient', `${at}.recipientId`);
    refs(consent.featureIds, features, 'feature', `${at}.featureIds`);
  });
  policy.permissions.forEach((permission, p) => {
    const at = `permissions[${p}]`;
    refs(permission.features, features, 'feature', `${at}.features`);
    refs(permission.refusalImpact.affects, features, 'feature', `${at}.refusalImpact.affects`);
    if (permission.requester.type === 'sdk') {
      if (permission.requester.sdkId === undefined) problems.push({ path: `${at}.requester.sdkId`, message: 'is required when requester.type is "sdk"' });
      else ref(permission.requester.sdkId, sdks, 'SDK', `${at}.requester.sdkId`);
    }
  });
  policy.recipients.forEach((recipient, r) => refs(recipient.items, items, 'data item', `recipients[${r}].items`));
  policy.sdks.forEach((sdk, s) => refs(sdk.items, items, 'data item', `sdks[${s}].items`));
  policy.retentionRules.forEach((rule, r) => refs(rule.appliesTo.items, items, 'data item', `retentionRules[${r}].appliesTo.items`));
  policy.trackingTech?.forEach((tech, t) => refs(tech.items, items, 'data item', `trackingTech[${t}].items`));
  refs(policy.ui?.firstLaunch?.showPurposes, purposes, 'purpose', 'ui.firstLaunch.showPurposes');
  policy.controller.dpo?.contactRefs?.forEach((index, i) => {
    if (index >= policy.controller.contacts.length) problems.push({ path: `controller.dpo.contactRefs[${i}]`, message: `expected an index into controller.contacts (0–${policy.controller.contacts.length - 1}), got ${index}` });
  });
}
