import { Dialog } from './dialog.js';
import { dataList, permissionList, purposeList, rightsList, thirdPartyList } from './lists.js';
import { button, channelList, field, fullTextLink, textField } from './parts.js';
import { fill } from './strings.js';
import { link, richText } from './text.js';
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
      actions={button(strings.close, () => open.done(), 'pri')}
    >
      <dl class="meta">
        {field(strings.version, meta.version)}
        {field(strings.updated, meta.updatedAt)}
        {field(strings.effective, meta.effectiveAt)}
        {field(strings.published, meta.publishedAt)}
      </dl>
      <h3>{strings.controller}</h3>
      <p>{controller.name}</p>
      <dl>
        {field(strings.contacts, channelList(controller.contacts.map(({ value, note }) => ({ type: 'other', value, ...(note ? { note } : {}) }))))}
        {dpo && field(strings.dpo, [dpo.name, dpo.department, ...(dpo.contactRefs ?? []).map((ref) => controller.contacts[ref]?.value)].filter(Boolean).join(' '))}
      </dl>
      {meta.keyPoints && (
        <>
          <h3>{strings.keyPoints}</h3>
          <ul>{meta.keyPoints.map((point) => <li>{richText(point)}</li>)}</ul>
        </>
      )}
      <h3>{strings.features}</h3>
      {dataList(policy, strings)}
      <h3>{strings.purposes}</h3>
      {purposeList(policy, strings)}
      {policy.permissions.length > 0 && <h3>{strings.permissions}</h3>}
      {permissionList(policy, strings)}
      {policy.recipients.length + policy.sdks.length > 0 && <h3>{strings.thirdParties}</h3>}
      {thirdPartyList(policy, strings)}
      <h3>{strings.retention}</h3>
      <ul>{policy.retentionRules.map((rule) => <li>{richText(rule.text)}</li>)}</ul>
      <dl>
        {textField(strings.storage, policy.storage.location)}
      </dl>
      <h3>{strings.rights}</h3>
      {rightsList(policy, strings)}
      <h3>{strings.complaint}</h3>
      {channelList(complain?.channels ?? controller.contacts.map(({ value }) => ({ type: 'other', value })))}
      {reply && <p>{fill(strings.reply, fill(strings[`unit.${reply.unit}`], reply.value))}</p>}
      {controller.complaintAuthorities?.map((authority) => <p>{richText(authority)}</p>)}
      {policy.minors.text && (
        <>
          <h3>{strings.minors}</h3>
          <p>{richText(policy.minors.text)}</p>
          {policy.minors.childrenRulesUrl && <p>{link(policy.minors.childrenRulesUrl, strings.childrenRules)}</p>}
        </>
      )}
      <p class="links">
        {fullTextLink(policy, strings)}
      </p>
    </Dialog>
  );
}
