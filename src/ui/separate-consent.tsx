import { Dialog } from './dialog.js';
import { button, field, itemNames, textField } from './parts.js';
import { indexPolicy } from './policy-index.js';
import { richText } from './text.js';
import type { Open, WidgetContext } from './types.js';

/**
 * A separate-consent dialog (单独同意): one per sensitive item, independent recipient, public
 * disclosure or cross-border transfer (SC-01 … SC-04; PIPL 23, 25, 29, 39). It names the
 * items, the purpose, the recipient with its contact, method and country, the necessity and
 * the effect on the person (PIPL 30), and for a foreign recipient how to exercise rights
 * against it (PIPL 39). Its 同意 grants this consent alone.
 */
export function SeparateConsent({ ctx, open, top }: { ctx: WidgetContext; open: Open<'separate'>; top: boolean }) {
  const { consent, strings } = ctx;
  const { policy } = consent;
  const index = indexPolicy(policy);
  const separate = policy.separateConsents.find((entry) => entry.id === open.id);
  if (!separate) return null;
  const purpose = separate.purposeId === undefined ? undefined : index.purposes.get(separate.purposeId);
  const recipient = separate.recipientId === undefined ? undefined : index.recipients.get(separate.recipientId);
  return (
    <Dialog
      id={`v${open.key}`}
      top={top}
      lang={policy.locale}
      title={separate.title}
      lead={strings[`trigger.${separate.trigger}`]}
      onEscape={() => open.done('dismiss')}
      actions={[
        button(strings.disagree, () => open.done('disagree')),
        button(strings.agree, () => open.done('agree'), 'pri'),
      ]}
    >
      {separate.description && <p>{richText(separate.description)}</p>}
      <dl>
        {field(strings.items, separate.items || recipient?.items ? itemNames(policy, separate.items ?? recipient?.items, strings) : recipient?.itemsText)}
        {textField(strings.purpose, purpose?.description ?? purpose?.label ?? recipient?.purpose)}
        {field(strings.recipient, recipient?.name)}
        {textField(strings.contacts, recipient?.contact)}
        {textField(strings.country, recipient?.crossBorder?.country)}
        {textField(strings.method, recipient?.method ?? purpose?.method)}
        {textField(strings.necessity, separate.necessity)}
        {textField(strings.impact, separate.impact)}
        {textField(strings.rightsAgainst, separate.rightsAgainstRecipient)}
      </dl>
    </Dialog>
  );
}
