import { Dialog } from './dialog.js';
import { button, fullTextLink, itemNames } from './parts.js';
import { richText } from './text.js';
import type { Open, WidgetContext } from './types.js';

interface Props<K extends 'first' | 'declined'> {
  readonly ctx: WidgetContext;
  readonly open: Open<K>;
  readonly top: boolean;
}

/**
 * The first-launch dialog (FL-01 … FL-05): the short summary, the purposes of the basic
 * functions, links to the summary and the full text (FL-02), and 同意 / 不同意 side by side
 * with equal weight. There is no checkbox to pre-tick (FL-03), and Esc closes nothing: only a
 * tap on 同意 or 不同意 decides (PIPL 14: consent is an explicit act).
 */
export function FirstLaunch({ ctx, open, top }: Props<'first'>) {
  const { consent, strings } = ctx;
  const { policy } = consent;
  const { purposes } = policy;
  const shown = policy.ui?.firstLaunch?.showPurposes ?? [];
  return (
    <Dialog
      id={`v${open.key}`}
      top={top}
      lang={policy.locale}
      title={strings.flTitle}
      lead={richText(policy.policy.summary)}
      onEscape={() => void consent.dismiss()}
      actions={[
        button(strings.disagree, () => open.done('disagree')),
        button(strings.agree, () => open.done('agree'), 'pri'),
      ]}
    >
      {shown.length > 0 && (
        <>
          <h3>{strings.flPurposes}</h3>
          <ul>
            {shown.map((id) => {
              const purpose = purposes.find((entry) => entry.id === id);
              return purpose && (
                <li>
                  {purpose.label}
                  <span class="sub">{itemNames(policy, purpose.items, strings)}</span>
                </li>
              );
            })}
          </ul>
        </>
      )}
      <p>{strings.flNote}</p>
      <p class="links">
        {button(strings.readSummary, () => void consent.showPolicySummary(), 'link')}
        {fullTextLink(policy, strings)}
      </p>
    </Dialog>
  );
}

/**
 * The one explanation after 不同意 (FL-04): what still works, and where to choose again. It
 * offers no way back into the first-launch dialog, so declining can never loop; in
 * `confirmThenExit` mode its button says 退出 and the host exits (the SDK never does).
 */
export function Declined({ ctx, open, top }: Props<'declined'>) {
  const { strings } = ctx;
  return (
    <Dialog
      id={`v${open.key}`}
      top={top}
      title={strings.declineTitle}
      lead={strings.declineBody}
      onEscape={() => open.done()}
      actions={button(open.exit ? strings.exit : strings.ok, () => open.done(), 'pri')}
    />
  );
}
