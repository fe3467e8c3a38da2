// @vitest-environment happy-dom
import { fireEvent, screen, within } from '@testing-library/preact';
import { describe, expect, it, vi } from 'vitest';
import { fixturePolicy } from '../fixtures/policy.js';
import { renderWidget } from './harness.js';

const TITLE = '个人信息保护指引';
const consentBased = ['account', 'marketing', 'nearby_recommendation', 'face_verification', 'face_consent', 'location_consent'];

describe('first-launch dialog', () => {
  it('FL-01: shows on first launch, grants nothing and makes no network request before 同意', async () => {
    const fetchSpy = vi.fn(() => Promise.reject(new Error('no network expected')));
    vi.stubGlobal('fetch', fetchSpy);
    try {
      const { consent } = renderWidget(fixturePolicy(), { headless: { endpoint: 'https://consent.example/receipts' } });
      void consent.showFirstLaunch();
      const dialog = await screen.findByRole('dialog', { name: TITLE });
      expect(dialog.getAttribute('aria-modal')).toBe('true');
      expect(consent.state.value.decision).toBe('undecided');
      for (const id of consentBased) expect(consent.isGranted(id)).toBe(false);
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(fetchSpy).not.toHaveBeenCalled();
    } finally {
      vi.unstubAllGlobals();
    }
  });

  it('FL-02: offers the summary and the full text, and the summary renders in zh-CN', async () => {
    const { consent } = renderWidget();
    void consent.showFirstLaunch();
    const dialog = await screen.findByRole('dialog', { name: TITLE });
    expect(within(dialog).getByText('我们仅在必要范围内处理您的个人信息。')).toBeTruthy();
    const full = within(dialog).getByRole('link', { name: '阅读《示例应用隐私政策》全文' });
    expect(full.getAttribute('href')).toBe('full-text.html');
    expect(full.getAttribute('lang')).toBe('zh-CN');
    fireEvent.click(within(dialog).getByRole('button', { name: '查看隐私政策摘要' }));
    const summary = await screen.findByRole('dialog', { name: '隐私政策摘要' });
    expect(summary.getAttribute('lang')).toBe('zh-CN');
    expect(within(summary).getByText('示例科技有限公司')).toBeTruthy();
    // The first-launch dialog waits underneath and comes back when the summary closes.
    expect(screen.queryByRole('dialog', { name: TITLE })).toBeNull();
    fireEvent.click(within(summary).getByRole('button', { name: '关闭' }));
    expect(await screen.findByRole('dialog', { name: TITLE })).toBeTruthy();
  });

  it('FL-03: 同意 and 不同意 are both there, nothing is pre-ticked, and Esc or a tap outside decides nothing', async () => {
    const { consent } = renderWidget();
    void consent.showFirstLaunch();
    const dialog = await screen.findByRole('dialog', { name: TITLE });
    expect(within(dialog).getByRole('button', { name: '同意' })).toBeTruthy();
    expect(within(dialog).getByRole('button', { name: '不同意' })).toBeTruthy();
    expect(within(dialog).queryAllByRole('checkbox').filter((box) => (box as HTMLInputElement).checked)).toEqual([]);
    fireEvent.keyDown(dialog, { key: 'Escape' });
    fireEvent.mouseDown(dialog.parentElement!);
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(screen.getByRole('dialog', { name: TITLE })).toBeTruthy();
    expect(consent.state.value.decision).toBe('undecided');
    expect(consent.isGranted('account')).toBe(false);
  });

  it('FL-04: 不同意 gives the limited mode, one explanation, and no loop — not even after a reload', async () => {
    const closeSpy = vi.spyOn(window, 'close');
    const { consent, store } = renderWidget();
    const outcome = consent.showFirstLaunch();
    fireEvent.click(within(await screen.findByRole('dialog', { name: TITLE })).getByRole('button', { name: '不同意' }));
    const followUp = await screen.findByRole('dialog', { name: '您未同意隐私政策' });
    expect(within(followUp).getAllByRole('button')).toHaveLength(1);
    expect(consent.state.value.decision).toBe('declined');
    fireEvent.click(within(followUp).getByRole('button', { name: '我知道了' }));
    expect(await outcome).toBe('declined');
    expect(screen.queryAllByRole('dialog')).toEqual([]);
    expect(closeSpy).not.toHaveBeenCalled();

    const reloaded = renderWidget(fixturePolicy(), { store }).consent;
    expect(await reloaded.showFirstLaunch()).toBe('declined');
    expect(screen.queryAllByRole('dialog')).toEqual([]);
  });

  it('FL-04: in confirmThenExit mode the one follow-up says 退出 and the SDK still closes nothing', async () => {
    const policy = fixturePolicy();
    const { consent } = renderWidget({ ...policy, ui: { firstLaunch: { onBasicDecline: 'confirmThenExit' } } });
    const outcome = consent.showFirstLaunch();
    fireEvent.click(within(await screen.findByRole('dialog', { name: TITLE })).getByRole('button', { name: '不同意' }));
    fireEvent.click(within(await screen.findByRole('dialog', { name: '您未同意隐私政策' })).getByRole('button', { name: '退出' }));
    expect(await outcome).toBe('declined');
  });

  it('FL-05: 同意 grants the basic functions only; optional purposes and separate consents stay off', async () => {
    const { consent } = renderWidget();
    const outcome = consent.showFirstLaunch();
    fireEvent.click(within(await screen.findByRole('dialog', { name: TITLE })).getByRole('button', { name: '同意' }));
    expect(await outcome).toBe('agreed');
    expect(consent.isGranted('account')).toBe(true);
    expect(consent.isGranted('real_name')).toBe(true);
    for (const id of ['marketing', 'nearby_recommendation', 'face_verification', 'face_consent', 'location_consent']) expect(consent.isGranted(id)).toBe(false);
    expect(screen.queryAllByRole('dialog')).toEqual([]);
  });

  it('FL-05: agreeing survives a reload, and the dialog is not shown again', async () => {
    const { consent, store } = renderWidget();
    const outcome = consent.showFirstLaunch();
    fireEvent.click(within(await screen.findByRole('dialog', { name: TITLE })).getByRole('button', { name: '同意' }));
    await outcome;
    const reloaded = renderWidget(fixturePolicy(), { store }).consent;
    expect(await reloaded.showFirstLaunch()).toBe('agreed');
    expect(screen.queryAllByRole('dialog')).toEqual([]);
    expect(reloaded.isGranted('account')).toBe(true);
  });

  it('FL-05: lists the purposes the policy picks for the first-launch dialog, sensitive items marked', async () => {
    const policy = fixturePolicy();
    const { consent } = renderWidget({ ...policy, ui: { firstLaunch: { showPurposes: ['account', 'real_name'] } } });
    void consent.showFirstLaunch();
    const dialog = await screen.findByRole('dialog', { name: TITLE });
    const list = within(dialog).getByRole('list');
    expect(within(list).getByText('注册与登录')).toBeTruthy();
    expect(within(list).getByText('身份证号码').tagName).toBe('STRONG');
    expect(within(list).getByText('敏感')).toBeTruthy();
  });

  it('FL-07: the dialog is named and described, and initial focus is on the dialog, not on 同意', async () => {
    const { consent } = renderWidget();
    void consent.showFirstLaunch();
    const dialog = await screen.findByRole('dialog', { name: TITLE });
    const description = document.getElementById(dialog.getAttribute('aria-describedby')!);
    expect(description?.textContent).toBe('我们仅在必要范围内处理您的个人信息。');
    expect(document.activeElement).toBe(dialog);
  });
});
