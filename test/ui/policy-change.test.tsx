// @vitest-environment happy-dom
import { fireEvent, screen, within } from '@testing-library/preact';
import { describe, expect, it } from 'vitest';
import type { PolicyDocument } from '../../src/core/policy-types.js';
import { fixturePolicy } from '../fixtures/policy.js';
import { renderWidget } from './harness.js';

/** The next version: the basic `account` purpose and the optional `marketing` one changed. */
function nextVersion(): PolicyDocument {
  const policy = fixturePolicy();
  return {
    ...policy,
    policy: { ...policy.policy, version: '2.0', changeSummary: '注册时新增**设备型号**的收集' },
    purposes: policy.purposes.map((purpose) =>
      purpose.id === 'account' ? { ...purpose, label: '注册、登录与设备识别' } : purpose.id === 'marketing' ? { ...purpose, label: '个性化推送（含短信）' } : purpose,
    ),
  };
}

/** Agreed to version 1 with marketing on, then "reloaded" with version 2. */
async function afterUpdate() {
  const first = renderWidget();
  await first.consent.ready;
  await first.consent.agree();
  await first.consent.setPurpose('marketing', true);
  first.consent.destroy();
  const { consent } = renderWidget(nextVersion(), { store: first.store });
  const outcome = consent.showFirstLaunch();
  const dialog = await screen.findByRole('dialog', { name: '隐私政策已更新' });
  return { consent, outcome, dialog, store: first.store };
}

describe('policy-change dialog', () => {
  it('CH-01: a material change shows what changed and a link to the full text; a changed optional purpose stays off unless ticked', async () => {
    const { consent, outcome, dialog } = await afterUpdate();
    expect(consent.isGranted('account')).toBe(false);
    expect(within(dialog).getByText('设备型号').tagName).toBe('STRONG');
    expect(within(dialog).getByText('注册、登录与设备识别')).toBeTruthy();
    const optional = within(dialog).getByRole('checkbox', { name: '个性化推送（含短信）' }) as HTMLInputElement;
    expect(optional.checked).toBe(false);
    expect(within(dialog).getByRole('link', { name: '阅读《示例应用隐私政策》全文' })).toBeTruthy();
    fireEvent.click(within(dialog).getByRole('button', { name: '同意' }));
    expect(await outcome).toBe('agreed');
    expect(consent.isGranted('account')).toBe(true);
    expect(consent.isGranted('marketing')).toBe(false);
    expect(consent.needsConsent).toBe(false);
  });

  it('CH-01: a ticked optional purpose comes back on', async () => {
    const { consent, outcome, dialog } = await afterUpdate();
    fireEvent.click(within(dialog).getByRole('checkbox', { name: '个性化推送（含短信）' }));
    fireEvent.click(within(dialog).getByRole('button', { name: '同意' }));
    await outcome;
    expect(consent.isGranted('marketing')).toBe(true);
  });

  it('CH-01: 不同意 refuses only what changed, Esc decides nothing, and the dialog does not come back', async () => {
    const { consent, outcome, dialog, store } = await afterUpdate();
    fireEvent.keyDown(dialog, { key: 'Escape' });
    expect(screen.getByRole('dialog', { name: '隐私政策已更新' })).toBeTruthy();
    fireEvent.click(within(dialog).getByRole('button', { name: '不同意' }));
    await outcome;
    expect(consent.isGranted('account')).toBe(false);
    expect(consent.isGranted('real_name')).toBe(true);
    consent.destroy();
    const reloaded = renderWidget(nextVersion(), { store }).consent;
    await reloaded.showFirstLaunch();
    expect(screen.queryAllByRole('dialog')).toEqual([]);
  });
});

describe('policy notice (a change that re-asks nothing)', () => {
  /** Version 1.1 changes only the policy's own text: no purpose's content hash moves. */
  const noticeOnly = (): PolicyDocument => {
    const policy = fixturePolicy();
    return { ...policy, policy: { ...policy.policy, version: '1.1', changeSummary: '更新了**联系方式**。' } };
  };

  it('CH-01: shown once at the next launch, with what changed, the version and the full text; 我知道了 closes it and nothing is re-asked (CH-02)', async () => {
    const first = renderWidget();
    await first.consent.agree();
    first.consent.destroy();
    const { consent } = renderWidget(noticeOnly(), { store: first.store });
    const outcome = consent.showFirstLaunch();
    const dialog = await screen.findByRole('dialog', { name: '隐私政策已更新' });
    expect(within(dialog).getByText('联系方式').tagName).toBe('STRONG');
    expect(within(dialog).getByText('本次更新不涉及需要您重新同意的内容，您此前的选择保持不变。')).toBeTruthy();
    expect(within(dialog).getByText('1.1')).toBeTruthy();
    expect(within(dialog).getByRole('link', { name: '阅读《示例应用隐私政策》全文' })).toBeTruthy();
    // Nothing to decide: one button, and Esc closes it too.
    expect(within(dialog).getAllByRole('button').map((button) => button.textContent)).toEqual(['我知道了']);
    fireEvent.click(within(dialog).getByRole('button', { name: '我知道了' }));
    expect(await outcome).toBe('agreed');
    expect(screen.queryAllByRole('dialog')).toEqual([]);
    expect(consent.needsConsent).toBe(false);
    expect(consent.isGranted('account')).toBe(true);
    // Once: a second call in the session shows nothing.
    await consent.showFirstLaunch();
    expect(screen.queryAllByRole('dialog')).toEqual([]);
  });

  it('CH-01: Esc closes the notice; a later launch of the same version shows no notice', async () => {
    const first = renderWidget();
    await first.consent.agree();
    first.consent.destroy();
    const second = renderWidget(noticeOnly(), { store: first.store });
    const outcome = second.consent.showFirstLaunch();
    fireEvent.keyDown(await screen.findByRole('dialog', { name: '隐私政策已更新' }), { key: 'Escape' });
    await outcome;
    // Let the notice's save land before the next launch reads the store.
    await second.consent.flush();
    second.consent.destroy();
    const third = renderWidget(noticeOnly(), { store: first.store });
    await third.consent.showFirstLaunch();
    expect(screen.queryAllByRole('dialog')).toEqual([]);
  });
});
