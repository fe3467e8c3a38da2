import type { PermissionStatus } from '../core/decision-types.js';
import type { PolicyDocument, Purpose } from '../core/policy-types.js';
import { channelList, entry, field, hasSensitive, itemNames, joinList, textField } from './parts.js';
import { indexPolicy, labels } from './policy-index.js';
import type { Strings } from './strings.js';
import { link } from './text.js';

// Each list is a function returning its entries, not a component (size: see parts.tsx).

const sensitiveTag = (on: boolean | undefined, strings: Strings) => on && <span class="tag">{strings.sensitive}</span>;

/** The retention rules that cover a purpose: its own, else those for its items or for all. */
function retentionOf(policy: PolicyDocument, purpose: Purpose): string[] {
  const rules = policy.retentionRules.filter((rule) =>
    purpose.retentionRuleIds ? purpose.retentionRuleIds.includes(rule.id) : rule.appliesTo.scope === 'all' || rule.appliesTo.items?.some((id) => purpose.items.includes(id)),
  );
  return rules.map((rule) => rule.text);
}

/**
 * Every purpose with its basis, method, exhaustive items and retention (NC-02), and for
 * sensitive items the necessity and the effect on the person (NC-04, PIPL 30).
 */
export const purposeList = (policy: PolicyDocument, strings: Strings) =>
  policy.purposes.map((purpose) =>
    entry([purpose.label, sensitiveTag(hasSensitive(policy, purpose.items), strings)], [
      textField(strings.purpose, purpose.description),
      field(strings.basis, strings[`basis.${purpose.legalBasis}`]),
      textField(strings.method, purpose.method),
      field(strings.items, itemNames(policy, purpose.items, strings)),
      field(strings.retention, joinList(policy, retentionOf(policy, purpose), true)),
      textField(strings.necessity, purpose.sensitiveNotice?.necessity),
      textField(strings.impact, purpose.sensitiveNotice?.impact),
      textField(strings.refusal, purpose.refusalImpact?.text),
    ]),
  );

/** Personal information collected, per business function (NC-06, MIIT 292 双清单). */
export const dataList = (policy: PolicyDocument, strings: Strings) =>
  policy.features.map((feature) => {
    const ids = feature.items.map((item) => item.id);
    return entry([feature.label, sensitiveTag(hasSensitive(policy, ids), strings)], [
      field(strings.items, itemNames(policy, ids, strings)),
      textField(strings.purpose, feature.description),
      field(strings.permissions, joinList(policy, labels(indexPolicy(policy).permissions, feature.permissions))),
      textField(strings.refusal, feature.refusalImpact.text),
    ]);
  });

/** Recipients and SDKs: name, purpose, data, scene, method and contact (NC-05, PIPL 23). */
export const thirdPartyList = (policy: PolicyDocument, strings: Strings) => [
  policy.recipients.map((recipient) =>
    entry(recipient.name, [
      textField(strings.purpose, recipient.purpose),
      field(strings.items, recipient.items ? itemNames(policy, recipient.items, strings) : recipient.itemsText),
      textField(strings.scene, recipient.scene),
      textField(strings.method, recipient.method),
      textField(strings.contacts, recipient.contact),
      textField(strings.country, recipient.crossBorder?.country),
    ]),
  ),
  policy.sdks.map((sdk) =>
    entry(sdk.name, [
      textField(strings.provider, sdk.provider),
      textField(strings.purpose, sdk.purpose),
      field(strings.items, itemNames(policy, sdk.items, strings)),
      textField(strings.contacts, sdk.contact),
      field(strings.policy, sdk.privacyPolicyUrl && link(sdk.privacyPolicyUrl, sdk.privacyPolicyUrl)),
    ]),
  ),
];

/**
 * Each permission: the functions that ask, purpose, when it is asked, effect of refusing, and
 * its current state when known (NC-07, MIIT 292, GB/T 41391 6.5).
 */
export function permissionList(policy: PolicyDocument, strings: Strings, status?: Readonly<Record<string, PermissionStatus>>) {
  const { features, sdks } = indexPolicy(policy);
  return policy.permissions.map((permission) =>
    entry([permission.label, status && <span class="state">{strings[`status.${status[permission.id] ?? 'none'}`]}</span>], [
      field(strings.feature, joinList(policy, labels(features, permission.features))),
      textField(strings.purpose, permission.purposeText),
      textField(strings.refusal, permission.refusalImpact.text),
      field(strings.requester, permission.requester.sdkId && sdks.get(permission.requester.sdkId)?.name),
      <p>{strings.askOnUse}</p>,
    ]),
  );
}

/** Every right with the channels to exercise it (NC-03, PIPL 44–50). */
export const rightsList = (policy: PolicyDocument, strings: Strings) => (
  <dl>{policy.rights.map((right) => field(strings[`right.${right.right}`], channelList(right.channels)))}</dl>
);
