import { ConsentError, formatProblems, type Problem } from './errors.js';
import { POLICY_SHAPE } from './policy-shape.js';
import type { PolicyDocument } from './policy-types.js';
import { checkShape } from './shape.js';

type Ids = ReadonlySet<string>;
type Entry = Record<string, unknown>;

// Lenient readers: a value of the wrong type reads as absent (the shape check reports it).
const entries = (value: unknown): Entry[] =>
  Array.isArray(value) ? value.map((entry) => (typeof entry === 'object' && entry !== null ? (entry as Entry) : {})) : [];
const entry = (value: unknown): Entry => (typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Entry) : {});
const text = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);
const texts = (value: unknown): (string | undefined)[] => (Array.isArray(value) ? value.map(text) : []);

/**
 * Every problem in a policy document, in one pass: its shape, and every reference between its
 * parts (a permission naming a feature that does not exist). References are read leniently, so
 * a document with shape errors still gets its dangling references reported too.
 */
export function validatePolicy(document: unknown): Problem[] {
  const problems: Problem[] = [];
  checkShape(POLICY_SHAPE, document, '', problems);
  if (typeof document === 'object' && document !== null && !Array.isArray(document)) checkReferences(document as Entry, problems);
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

function collectIds(list: Entry[], path: string, problems: Problem[], into = new Set<string>()): Set<string> {
  list.forEach((item, index) => {
    const id = text(item.id);
    if (id === undefined) return;
    if (into.has(id)) problems.push({ path: `${path}[${index}].id`, message: `duplicates the id "${id}"` });
    into.add(id);
  });
  return into;
}

function checkReferences(policy: Entry, problems: Problem[]): void {
  const dataItems = entries(policy.dataItems);
  const features = entries(policy.features);
  const purposes = entries(policy.purposes);
  const separateConsents = entries(policy.separateConsents);
  const permissions = entries(policy.permissions);
  const recipients = entries(policy.recipients);
  const sdks = entries(policy.sdks);
  const retentionRules = entries(policy.retentionRules);

  const itemIds = collectIds(dataItems, 'dataItems', problems);
  const featureIds = collectIds(features, 'features', problems);
  const permissionIds = collectIds(permissions, 'permissions', problems);
  const recipientIds = collectIds(recipients, 'recipients', problems);
  const sdkIds = collectIds(sdks, 'sdks', problems);
  const retentionIds = collectIds(retentionRules, 'retentionRules', problems);
  // Purposes and separate consents share one namespace: isGranted(id) answers for either.
  const purposeIds = collectIds(purposes, 'purposes', problems);
  collectIds(separateConsents, 'separateConsents', problems, new Set(purposeIds));

  const ref = (value: string | undefined, known: Ids, noun: string, path: string) => {
    if (value !== undefined && !known.has(value)) problems.push({ path, message: `refers to ${noun} "${value}", which the policy does not declare` });
  };
  const refs = (list: unknown, known: Ids, noun: string, path: string) =>
    texts(list).forEach((value, index) => ref(value, known, noun, `${path}[${index}]`));
  const impact = (owner: Entry, path: string) => refs(entry(owner.refusalImpact).affects, featureIds, 'feature', `${path}.refusalImpact.affects`);

  features.forEach((feature, f) => {
    const at = `features[${f}]`;
    entries(feature.items).forEach((item, i) => ref(text(item.id), itemIds, 'data item', `${at}.items[${i}].id`));
    refs(feature.permissions, permissionIds, 'permission', `${at}.permissions`);
    impact(feature, at);
    texts(feature.permissions).forEach((permissionId, p) => {
      const permission = permissions.find((candidate) => candidate.id === permissionId);
      if (permission && !texts(permission.features).includes(text(feature.id))) {
        problems.push({ path: `${at}.permissions[${p}]`, message: `lists permission "${permissionId}", but that permission's features do not include "${text(feature.id)}"` });
      }
    });
  });
  purposes.forEach((purpose, p) => {
    const at = `purposes[${p}]`;
    refs(purpose.features, featureIds, 'feature', `${at}.features`);
    refs(purpose.items, itemIds, 'data item', `${at}.items`);
    refs(purpose.permissions, permissionIds, 'permission', `${at}.permissions`);
    refs(purpose.recipients, recipientIds, 'recipient', `${at}.recipients`);
    refs(purpose.retentionRuleIds, retentionIds, 'retention rule', `${at}.retentionRuleIds`);
    impact(purpose, at);
  });
  separateConsents.forEach((consent, s) => {
    const at = `separateConsents[${s}]`;
    refs(consent.items, itemIds, 'data item', `${at}.items`);
    ref(text(consent.purposeId), purposeIds, 'purpose', `${at}.purposeId`);
    ref(text(consent.recipientId), recipientIds, 'recipient', `${at}.recipientId`);
    refs(consent.featureIds, featureIds, 'feature', `${at}.featureIds`);
  });
  permissions.forEach((permission, p) => {
    const at = `permissions[${p}]`;
    refs(permission.features, featureIds, 'feature', `${at}.features`);
    impact(permission, at);
    const requester = entry(permission.requester);
    if (requester.type === 'sdk') {
      if (requester.sdkId === undefined) problems.push({ path: `${at}.requester.sdkId`, message: 'is required when requester.type is "sdk"' });
      else ref(text(requester.sdkId), sdkIds, 'SDK', `${at}.requester.sdkId`);
    }
  });
  recipients.forEach((recipient, r) => refs(recipient.items, itemIds, 'data item', `recipients[${r}].items`));
  sdks.forEach((sdk, s) => refs(sdk.items, itemIds, 'data item', `sdks[${s}].items`));
  retentionRules.forEach((rule, r) => refs(entry(rule.appliesTo).items, itemIds, 'data item', `retentionRules[${r}].appliesTo.items`));
  entries(policy.trackingTech).forEach((tech, t) => refs(tech.items, itemIds, 'data item', `trackingTech[${t}].items`));
  entries(policy.dataSources).forEach((source, d) => refs(source.items, itemIds, 'data item', `dataSources[${d}].items`));
  refs(entry(entry(policy.ui).firstLaunch).showPurposes, purposeIds, 'purpose', 'ui.firstLaunch.showPurposes');
  const controller = entry(policy.controller);
  const contacts = entries(controller.contacts);
  const contactRefs = entry(controller.dpo).contactRefs;
  (Array.isArray(contactRefs) ? (contactRefs as unknown[]) : []).forEach((index, i) => {
    if (typeof index === 'number' && index >= contacts.length) {
      problems.push({ path: `controller.dpo.contactRefs[${i}]`, message: `expected an index into controller.contacts (0–${contacts.length - 1}), got ${index}` });
    }
  });
}
