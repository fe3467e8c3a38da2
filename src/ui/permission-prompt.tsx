import { Dialog } from './dialog.js';
import { button, field, textField } from './parts.js';
import { indexPolicy } from './policy-index.js';
import { fill } from './strings.js';
import { richText } from './text.js';
import type { Open, WidgetContext } from './types.js';

/**
 * The rationale shown before the OS permission dialog (PP-02; MIIT 292 蒙层/顶栏 同步告知):
 * one permission, the function asking for it, its purpose, what refusing changes, and the SDK
 * that asks when it is not the app (GB/T 43435). It sits at the top of the screen so the OS
 * dialog that follows does not hide it. Its buttons are 继续 and 暂不, never "Allow": the
 * permission is granted, or not, in the OS dialog only. When the OS will not ask again, the
 * one button leads to 去设置 instead, and only because the person tapped it (PP-06).
 */
export function PermissionPrompt({ ctx, open, top }: { ctx: WidgetContext; open: Open<'permission'>; top: boolean }) {
  const { consent, strings } = ctx;
  const { policy } = consent;
  const index = indexPolicy(policy);
  const permission = index.permissions.get(open.id);
  if (!permission) return null;
  const sdk = permission.requester.sdkId === undefined ? undefined : index.sdks.get(permission.requester.sdkId);
  return (
    <Dialog
      id={`v${open.key}`}
      top={top}
      place="top"
      lang={policy.locale}
      title={fill(strings.permTitle, permission.label)}
      lead={richText(permission.purposeText)}
      onEscape={() => open.done('not_now')}
      actions={[
        button(strings.permNotNow, () => open.done('not_now')),
        button(open.settings ? strings.permSettings : strings.permContinue, () => open.done('continue'), 'pri'),
      ]}
    >
      <dl>
        {field(strings.feature, index.features.get(open.feature)?.label)}
        {textField(strings.refusal, permission.refusalImpact.text)}
        {field(strings.requester, sdk && [sdk.name, sdk.provider].filter(Boolean).join(' · '))}
      </dl>
    </Dialog>
  );
}
