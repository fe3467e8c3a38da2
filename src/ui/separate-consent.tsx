import { Dialog } from './dialog.js';
import { Field, Items, TextField } from './parts.js';
import { indexPolicy } from './policy-index.js';
import { Rich } from './text.js';
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
      actions={
        <>
          <button type="button" onClick={() => open.done('disagree')}>{strings.disagree}</button>
          <button type="button" class="pri" onClick={() => open.done('agree')}>{strings.agree}</button>
        </>
      }
    >
      {separate.description && <p><Rich text={separate.description} /></p>}
      <dl>
        <Field label={strings.items}>
          {separate.items || recipient?.items ? <Items policy={policy} ids={separate.items ?? recipient?.items} strings={strings} /> : recipient?.itemsText}
        </Field>
        <TextField label={strings.purpose} text={purpose?.description ?? purpose?.label ?? recipient?.purpose} />
        <Field label={strings.recipient}>{recipient?.name}</Field>
        <TextField label={strings.contacts} text={recipient?.contact} />
        <TextField label={strings.country} text={recipient?.crossBorder?.country} />
        <TextField label={strings.method} text={recipient?.method ?? purpose?.method} />
        <TextField label={strings.necessity} text={separate.necessity} />
        <TextField label={strings.impact} text={separate.impact} />
        <TextField label={strings.rightsAgainst} text={separate.rightsAgainstRecipient} />
      </dl>
    </Dialog>
  );
}
