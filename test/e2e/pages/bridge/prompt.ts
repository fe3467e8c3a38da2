import type { RationalePrompt } from '../../../../src/permissions/types.js';

/**
 * A plain accessible rationale layer for the test app (PP-02): a top sheet naming the
 * permission, the feature and the purpose, with 继续 (or 去设置 when the OS will not ask
 * again, PP-06) and 暂不. The widget ships the product's own; this one keeps the bridge tests
 * independent of it.
 */
export const showRationale: RationalePrompt = (permission, context) =>
  new Promise((resolve) => {
    const dialog = document.createElement('section');
    dialog.setAttribute('role', 'dialog');
    dialog.setAttribute('aria-modal', 'true');
    dialog.setAttribute('aria-labelledby', 'rationale-title');
    dialog.dataset.permission = permission.id;
    dialog.dataset.action = context.action;
    const title = Object.assign(document.createElement('h2'), { id: 'rationale-title', textContent: `${permission.label}权限使用说明` });
    const purpose = Object.assign(document.createElement('p'), { textContent: `「${context.feature.label}」需要使用${permission.label}：${permission.purposeText}` });
    const impact = Object.assign(document.createElement('p'), { textContent: permission.refusalImpact.text ?? '' });
    const actions = Object.assign(document.createElement('div'), { className: 'actions' });
    const close = (answer: 'continue' | 'not_now') => {
      dialog.remove();
      resolve(answer);
    };
    const notNow = Object.assign(document.createElement('button'), { type: 'button', textContent: '暂不' });
    const next = Object.assign(document.createElement('button'), { type: 'button', textContent: context.action === 'open_settings' ? '去设置' : '继续' });
    notNow.addEventListener('click', () => close('not_now'));
    next.addEventListener('click', () => close('continue'));
    dialog.addEventListener('keydown', (event) => event.key === 'Escape' && close('not_now'));
    actions.append(notNow, next);
    dialog.append(title, purpose, impact, actions);
    document.body.append(dialog);
    next.focus();
  });
