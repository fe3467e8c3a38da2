import type { PermissionStatus } from '../core/decision-types.js';
import type { PolicyDocument, Purpose } from '../core/policy-types.js';
import { Channels, Entry, Field, hasSensitive, Items, joinList, TextField } from './parts.js';
import { indexPolicy, labels } from './policy-index.js';
import type { Strings } from './strings.js';
import { Link } from './text.js';

interface ListProps {
  readonly policy: PolicyDocument;
  readonly strings: Strings;
}

const Tag = ({ on, strings }: { on: boolean | undefined; strings: Strings }) => (on ? <span class="tag">{strings.sensitive}</span> : null);

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
export const PurposeList = ({ policy, strings }: ListProps) => (
  <>
    {policy.purposes.map((purpose) => (
      <Entry name={<>{purpose.label}<Tag on={hasSensitive(policy, purpose.items)} strings={strings} /></>}>
        <TextField label={strings.purpose} text={purpose.description} />
        <Field label={strings.basis}>{strings[`basis.${purpose.legalBasis}`]}</Field>
        <TextField label={strings.method} text={purpose.method} />
        <Field label={strings.items}><Items policy={policy} ids={purpose.items} strings={strings} /></Field>
        <Field label={strings.retention}>{joinList(policy, retentionOf(policy, purpose), true)}</Field>
        <TextField label={strings.necessity} text={purpose.sensitiveNotice?.necessity} />
        <TextField label={strings.impact} text={purpose.sensitiveNotice?.impact} />
        <TextField label={strings.refusal} text={purpose.refusalImpact?.text} />
      </Entry>
    ))}
  </>
);

/** Personal information collected, per business function (NC-06, MIIT 292 双清单). */
export const DataList = ({ policy, strings }: ListProps) => (
  <>
    {policy.features.map((feature) => {
      const ids = feature.items.map((item) => item.id);
      return (
        <Entry name={<>{feature.label}<Tag on={hasSensitive(policy, ids)} strings={strings} /></>}>
          <Field label={strings.items}><Items policy={policy} ids={ids} strings={strings} /></Field>
          <TextField label={strings.purpose} text={feature.description} />
          <Field label={strings.permissions}>{joinList(policy, labels(indexPolicy(policy).permissions, feature.permissions))}</Field>
          <TextField label={strings.refusal} text={feature.refusalImpact.text} />
        </Entry>
      );
    })}
  </>
);

/** Recipients and SDKs: name, purpose, data, scene, method and contact (NC-05, PIPL 23). */
export const ThirdPartyList = ({ policy, strings }: ListProps) => (
  <>
    {policy.recipients.map((recipient) => (
      <Entry name={recipient.name}>
        <TextField label={strings.purpose} text={recipient.purpose} />
        <Field label={strings.items}>{recipient.items ? <Items policy={policy} ids={recipient.items} strings={strings} /> : recipient.itemsText}</Field>
        <TextField label={strings.scene} text={recipient.scene} />
        <TextField label={strings.method} text={recipient.method} />
        <TextField label={strings.contacts} text={recipient.contact} />
        <TextField label={strings.country} text={recipient.crossBorder?.country} />
      </Entry>
    ))}
    {policy.sdks.map((sdk) => (
      <Entry name={sdk.name}>
        <TextField label={strings.provider} text={sdk.provider} />
        <TextField label={strings.purpose} text={sdk.purpose} />
        <Field label={strings.items}><Items policy={policy} ids={sdk.items} strings={strings} /></Field>
        <TextField label={strings.contacts} text={sdk.contact} />
        <Field label={strings.policy}>{sdk.privacyPolicyUrl && <Link href={sdk.privacyPolicyUrl}>{sdk.privacyPolicyUrl}</Link>}</Field>
      </Entry>
    ))}
  </>
);

/**
 * Each permission: the functions that ask, purpose, when it is asked, effect of refusing, and
 * its current state when known (NC-07, MIIT 292, GB/T 41391 6.5).
 */
export function PermissionList({ policy, strings, status }: ListProps & { status?: Readonly<Record<string, PermissionStatus>> }) {
  const { features, sdks } = indexPolicy(policy);
  return (
    <>
      {policy.permissions.map((permission) => (
        <Entry name={<>{permission.label}{status && <span class="state">{strings[`status.${status[permission.id] ?? 'none'}`]}</span>}</>}>
          <Field label={strings.feature}>{joinList(policy, labels(features, permission.features))}</Field>
          <TextField label={strings.purpose} text={permission.purposeText} />
          <TextField label={strings.refusal} text={permission.refusalImpact.text} />
          <Field label={strings.requester}>{permission.requester.sdkId && sdks.get(permission.requester.sdkId)?.name}</Field>
          <p>{strings.askOnUse}</p>
        </Entry>
      ))}
    </>
  );
}

/** Every right with the channels to exercise it (NC-03, PIPL 44–50). */
export const RightsList = ({ policy, strings }: ListProps) => (
  <dl>
    {policy.rights.map((right) => (
      <Field label={strings[`right.${right.right}`]}><Channels channels={right.channels} /></Field>
    ))}
  </dl>
);
