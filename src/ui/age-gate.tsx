import { Dialog } from './dialog.js';
import { Channels, Field, joinList, TextField } from './parts.js';
import { PurposeList } from './lists.js';
import { fill } from './strings.js';
import { Link, Rich } from './text.js';
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
      actions={
        <>
          <button type="button" onClick={() => open.done('child')}>{fill(strings.ageChild, open.years)}</button>
          <button type="button" onClick={() => open.done('adult')}>{fill(strings.ageAdult, open.years)}</button>
        </>
      }
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
    return channels.length > 0 && <Field label={label}><Channels channels={channels} /></Field>;
  };
  return (
    <Dialog
      id={`v${open.key}`}
      top={top}
      lang={policy.locale}
      title={strings.guardianTitle}
      lead={fill(strings.guardianLead, open.years)}
      actions={
        <>
          <button type="button" onClick={() => open.done('disagree')}>{strings.disagree}</button>
          <button type="button" class="pri" onClick={() => open.done('agree')}>{strings.guardianAgree}</button>
        </>
      }
    >
      {policy.minors.text && <p><Rich text={policy.minors.text} /></p>}
      <h3>{strings.purposes}</h3>
      <PurposeList policy={policy} strings={strings} />
      <dl>
        <TextField label={strings.storage} text={policy.storage.location} />
        <Field label={strings.retention}>{joinList(policy, policy.retentionRules.map((rule) => rule.text), true)}</Field>
        <TextField label={strings.refusal} text={strings.declineBody} />
        {rightField('complain', strings.complaint)}
        {rightField('correct', strings['right.correct'])}
        {rightField('delete', strings['right.delete'])}
      </dl>
      {policy.minors.childrenRulesUrl && (
        <p class="links">
          <Link href={policy.minors.childrenRulesUrl} lang={policy.locale}>{strings.childrenRules}</Link>
        </p>
      )}
    </Dialog>
  );
}
