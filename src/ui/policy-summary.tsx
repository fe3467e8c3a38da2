import { Dialog } from './dialog.js';
import { DataList, PermissionList, PurposeList, RightsList, ThirdPartyList } from './lists.js';
import { Channels, Field, TextField } from './parts.js';
import { fill } from './strings.js';
import { Link, Rich } from './text.js';
import type { Open, WidgetContext } from './types.js';

/**
 * The policy summary (NC-01 … NC-10): who the controller is and how to reach them and their
 * DPO, the key points, data per business function, purposes, permissions, third parties and
 * SDKs, retention and storage place, rights with their channels, complaints with the reply
 * time, minors, and the version and dates — each list as it stands in the policy document.
 */
export function PolicySummary({ ctx, open, top }: { ctx: WidgetContext; open: Open<'summary'>; top: boolean }) {
  const { strings } = ctx;
  const policy = ctx.consent.policy;
  const { policy: meta, controller } = policy;
  const dpo = controller.dpo;
  const complain = policy.rights.find((right) => right.right === 'complain');
  const reply = controller.responseTime;
  return (
    <Dialog
      id={`v${open.key}`}
      top={top}
      lang={policy.locale}
      title={strings.summaryTitle}
      lead={meta.title}
      onEscape={() => open.done()}
      actions={<button type="button" class="pri" onClick={() => open.done()}>{strings.close}</button>}
    >
      <dl class="meta">
        <Field label={strings.version}>{meta.version}</Field>
        <Field label={strings.updated}>{meta.updatedAt}</Field>
        <Field label={strings.effective}>{meta.effectiveAt}</Field>
        <Field label={strings.published}>{meta.publishedAt}</Field>
      </dl>
      <h3>{strings.controller}</h3>
      <p>{controller.name}</p>
      <dl>
        <Field label={strings.contacts}><Channels channels={controller.contacts.map(({ value, note }) => ({ type: 'other', value, ...(note ? { note } : {}) }))} /></Field>
        {dpo && (
          <Field label={strings.dpo}>
            {[dpo.name, dpo.department, ...(dpo.contactRefs ?? []).map((ref) => controller.contacts[ref]?.value)].filter(Boolean).join(' ')}
          </Field>
        )}
      </dl>
      {meta.keyPoints && (
        <>
          <h3>{strings.keyPoints}</h3>
          <ul>{meta.keyPoints.map((point) => <li><Rich text={point} /></li>)}</ul>
        </>
      )}
      <h3>{strings.features}</h3>
      <DataList policy={policy} strings={strings} />
      <h3>{strings.purposes}</h3>
      <PurposeList policy={policy} strings={strings} />
      {policy.permissions.length > 0 && <h3>{strings.permissions}</h3>}
      <PermissionList policy={policy} strings={strings} />
      {policy.recipients.length + policy.sdks.length > 0 && <h3>{strings.thirdParties}</h3>}
      <ThirdPartyList policy={policy} strings={strings} />
      <h3>{strings.retention}</h3>
      <ul>{policy.retentionRules.map((rule) => <li><Rich text={rule.text} /></li>)}</ul>
      <dl>
        <TextField label={strings.storage} text={policy.storage.location} />
      </dl>
      <h3>{strings.rights}</h3>
      <RightsList policy={policy} strings={strings} />
      <h3>{strings.complaint}</h3>
      <Channels channels={complain?.channels ?? controller.contacts.map(({ value }) => ({ type: 'other', value }))} />
      {reply && <p>{fill(strings.reply, fill(strings[`unit.${reply.unit}`], reply.value))}</p>}
      {controller.complaintAuthorities?.map((authority) => <p><Rich text={authority} /></p>)}
      {policy.minors.text && (
        <>
          <h3>{strings.minors}</h3>
          <p><Rich text={policy.minors.text} /></p>
          {policy.minors.childrenRulesUrl && <p><Link href={policy.minors.childrenRulesUrl}>{strings.childrenRules}</Link></p>}
        </>
      )}
      <p class="links">
        <Link href={meta.fullTextUrl} lang={policy.locale}>{fill(strings.readFull, meta.title)}</Link>
      </p>
    </Dialog>
  );
}
