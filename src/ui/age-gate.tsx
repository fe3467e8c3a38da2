import { Dialog } from './dialog.js';
import { button, channelList, field, joinList, textField } from './parts.js';
import { purposeList } from './lists.js';
import { fill } from './strings.js';
import { link, richText } from './text.js';
import type { Open, WidgetContext } from './types.js';

interface Props<K extends 'age' | 'guardian'> {
  readonly ctx: WidgetContext;
  readonly open: Open<K>;
  readonly top: boolean;
}

/** The age gate (MN-01): asked before anything else when the policy sets `minors.ageGate`. */
export function AgeGate({ ctx, open, top }: Props<'age'>) {
  const { strings } = ctx;
  return (
    <Dialog
      id={`v${open.key}`}
      top={top}
      title={strings.ageTitle}
      lead={fill(strings.ageQuestion, open.years)}
      actions={[
        button(fill(strings.ageChild, open.years), () => open.done('child')),
        button(fill(strings.ageAdult, open.years), () => open.done('adult')),
      ]}
    />
  );
}

/**
 * The guardian dialog (MN-02; 《儿童个人信息网络保护规定》 Arts 8–10): what is processed, how
 * and why; where and how long it is kept; what refusing means; how to complain, correct and
 * delete; and the children's rules. The guardian can refuse as easily as agree.
 */
export function Guardian({ ctx, open, top }: Props<'guardian'>) {
  const { consent, strings } = ctx;
  const { policy } = consent;
  const rightField = (right: 'complain' | 'correct' | 'delete', label: string) => {
    const channels = policy.rights.filter((entry) => entry.right === right).flatMap((entry) => entry.channels);
    return channels.length > 0 && field(label, channelList(channels));
  };
  return (
    <Dialog
      id={`v${open.key}`}
      top={top}
      lang={policy.locale}
      title={strings.guardianTitle}
      lead={fill(strings.guardianLead, open.years)}
      actions={[
        button(strings.disagree, () => open.done('disagree')),
        button(strings.guardianAgree, () => open.done('agree'), 'pri'),
      ]}
    >
      {policy.minors.text && <p>{richText(policy.minors.text)}</p>}
      <h3>{strings.purposes}</h3>
      {purposeList(policy, strings)}
      <dl>
        {textField(strings.storage, policy.storage.location)}
        {field(strings.retention, joinList(policy, policy.retentionRules.map((rule) => rule.text), true))}
        {field(strings.securityMeasures, joinList(policy, policy.security?.measures ?? [], true))}
        {textField(strings.refusal, strings.declineBody)}
        {rightField('complain', strings.complaint)}
        {rightField('correct', strings['right.correct'])}
        {rightField('delete', strings['right.delete'])}
      </dl>
      {policy.minors.childrenRulesUrl && (
        <p class="links">
          {link(policy.minors.childrenRulesUrl, strings.childrenRules, policy.locale)}
        </p>
      )}
    </Dialog>
  );
}
