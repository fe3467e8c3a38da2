import { Dialog } from './dialog.js';
import { button, changeLead, field, fullTextLink } from './parts.js';
import type { Open, WidgetContext } from './types.js';

/**
 * The notice of a policy change that re-asked nothing (CH-01 with no purpose's content changed,
 * METHOD 二.2): what changed and the full text, shown once. There is nothing to decide, so one
 * button and Esc both just close it; the decision (`policy_notice`) and its receipt were
 * recorded when the change was applied, never counted as agreement (CH-02).
 */
export function PolicyNotice({ ctx, open, top }: { ctx: WidgetContext; open: Open<'notice'>; top: boolean }) {
  const { consent, strings } = ctx;
  const { policy } = consent;
  const { policy: meta } = policy;
  const [lead, below] = changeLead(policy, strings.noticeLead);
  return (
    <Dialog
      id={`v${open.key}`}
      top={top}
      lang={policy.locale}
      title={strings.changeTitle}
      lead={lead}
      onEscape={() => open.done()}
      actions={[button(strings.ok, () => open.done(), 'pri')]}
    >
      {below}
      <dl class="meta">
        {field(strings.version, meta.version)}
        {field(strings.effective, meta.effectiveAt)}
      </dl>
      <p class="links">{fullTextLink(policy, strings)}</p>
    </Dialog>
  );
}
