import { Dialog } from './dialog.js';
import { button, changeLead, fullTextLink, itemNames } from './parts.js';
import type { Open, WidgetContext } from './types.js';

/**
 * The policy-change dialog (CH-01; PIPL 14 ¶2, 17 ¶2): what changed and a link to the full
 * text, then the purposes that need a new decision. A changed optional purpose has its own
 * unticked box and comes back on only when ticked (CG-03: no bundled re-consent). Like the
 * first-launch dialog, Esc decides nothing.
 */
export function PolicyChange({ ctx, open, top }: { ctx: WidgetContext; open: Open<'change'>; top: boolean }) {
  const { consent, strings } = ctx;
  const { policy } = consent;
  const [lead, below] = changeLead(policy, strings.changeLead);
  const pending = consent.state.value.pending.purposes.flatMap((id) => policy.purposes.find((purpose) => purpose.id === id) ?? []);
  const agree = (event: Event) => {
    const dialog = (event.currentTarget as HTMLElement).closest('[role=dialog]');
    const ticked = [...(dialog?.querySelectorAll<HTMLInputElement>('input[type=checkbox]:checked') ?? [])];
    open.done(ticked.map((input) => input.value));
  };
  return (
    <Dialog
      id={`v${open.key}`}
      top={top}
      lang={policy.locale}
      title={strings.changeTitle}
      lead={lead}
      onEscape={() => void consent.dismiss()}
      actions={[
        button(strings.disagree, () => open.done(false)),
        button(strings.agree, agree, 'pri'),
      ]}
    >
      {below}
      <ul>
        {pending.map((purpose) => {
          const items = <span class="sub">{itemNames(policy, purpose.items, strings)}</span>;
          return purpose.consentMode === 'optional_toggle' ? (
            <li class="row">
              <label for={`c-${purpose.id}`}>{purpose.label}</label>
              <input type="checkbox" id={`c-${purpose.id}`} value={purpose.id} aria-describedby={`c-${purpose.id}-n`} />
              <p class="sub" id={`c-${purpose.id}-n`}>{strings.changeOptional}</p>
            </li>
          ) : (
            <li>{purpose.label}{items}</li>
          );
        })}
      </ul>
      <p class="links">
        {fullTextLink(policy, strings)}
      </p>
    </Dialog>
  );
}
