import { Dialog } from './dialog.js';
import { dataList, permissionList, thirdPartyList } from './lists.js';
import { button, fullTextLink } from './parts.js';
import type { Open, WidgetContext } from './types.js';

/**
 * One switch per consent. Switching off is one tap and takes effect at once; switching on
 * takes at least as many (WD-01: PIPL 15, GB/T 35273 5.3 c). After the action the switch shows
 * the real state, so a refused separate consent does not leave it looking on. `onToggle` carries
 * out the switch and resolves with the state now in force.
 */
function switchRow(id: string, label: string, on: boolean, note: string | undefined, onToggle: (on: boolean) => Promise<boolean>) {
  return (
    <div class="row">
      <label for={id} id={`${id}-l`}>{label}</label>
      <input
        id={id}
        type="checkbox"
        role="switch"
        checked={on}
        aria-labelledby={`${id}-l`}
        aria-describedby={note ? `${id}-n` : undefined}
        onChange={async (event) => {
          const input = event.currentTarget;
          input.checked = await onToggle(input.checked);
        }}
      />
      {note && <p class="sub" id={`${id}-n`}>{note}</p>}
    </div>
  );
}

/**
 * The privacy center: every purpose, separate consent and permission with its current state,
 * switches to withdraw and re-grant (WD-01), the personalisation off switch (CG-06, PIPL 24),
 * the policy one tap away (FL-06) and the lists of collected data, third parties and
 * permissions (NC-05 … NC-07).
 */
export function PrivacyCenter({ ctx, open, top }: { ctx: WidgetContext; open: Open<'center'>; top: boolean }) {
  const { consent, strings, flows } = ctx;
  const { policy } = consent;
  const snapshot = consent.state.value;
  const granted = (id: string) => snapshot.granted[id] === true;
  return (
    <Dialog
      id={`v${open.key}`}
      top={top}
      lang={policy.locale}
      title={strings.centerTitle}
      lead={strings.centerLead}
      onEscape={() => open.done()}
      actions={button(strings.close, () => open.done(), 'pri')}
    >
      {snapshot.decision !== 'agreed' && (
        <div class="note">
          <p>{strings.limited}</p>
          {button(strings.reviewAgree, () => void flows.reviewAgree())}
        </div>
      )}
      <p class="links">
        {button(strings.policy, () => void consent.showPolicySummary(), 'link')}
        {fullTextLink(policy, strings)}
      </p>
      <h3>{strings.consents}</h3>
      {policy.purposes.map((purpose) =>
        purpose.consentMode === 'basic_bundle' || purpose.consentMode === 'optional_toggle' ? switchRow(
          `p-${purpose.id}`, purpose.label, granted(purpose.id), purpose.description, (on) => flows.switchPurpose(purpose.id, on),
        ) : purpose.consentMode === 'notice_only' ? (
          <div class="row">
            <span>{purpose.label}</span>
            <p class="sub">{strings.byLaw}</p>
          </div>
        ) : null,
      )}
      {policy.separateConsents.length > 0 && <h3>{strings.separate}</h3>}
      {policy.separateConsents.map((separate) =>
        switchRow(`s-${separate.id}`, separate.title, granted(separate.id), strings[`trigger.${separate.trigger}`], (on) => flows.switchSeparate(separate.id, on)),
      )}
      {policy.permissions.length > 0 && <h3>{strings.permissions}</h3>}
      {permissionList(policy, strings, snapshot.permissions)}
      <h3>{strings.collected}</h3>
      {dataList(policy, strings)}
      {policy.recipients.length + policy.sdks.length > 0 && <h3>{strings.thirdParties}</h3>}
      {thirdPartyList(policy, strings)}
    </Dialog>
  );
}
