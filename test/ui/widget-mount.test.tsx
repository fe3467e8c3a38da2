// @vitest-environment happy-dom
import { fireEvent, waitFor, within } from '@testing-library/preact';
import { afterEach, describe, expect, it } from 'vitest';
import { createConsent } from '../../src/ui/create-consent.js';
import type { ConsentUi, UiConsentOptions } from '../../src/ui/types.js';
import { fixturePolicy } from '../fixtures/policy.js';

const live: ConsentUi[] = [];
afterEach(() => {
  for (const consent of live.splice(0)) consent.destroy();
  document.body.innerHTML = '';
  document.documentElement.lang = '';
});

function create(options: Partial<UiConsentOptions> = {}) {
  const consent = createConsent({ policy: fixturePolicy(), storage: 'memory', bridge: 'none', ...options });
  live.push(consent);
  return consent;
}

async function shown(consent: ConsentUi, name: string) {
  void consent.showFirstLaunch();
  const host = await waitFor(() => {
    const element = document.querySelector('inapp-consent');
    if (!element?.shadowRoot) throw new Error('not mounted');
    return element as HTMLElement;
  });
  const shadow = within(host.shadowRoot as unknown as HTMLElement);
  const dialog = await shadow.findByRole('dialog', { name });
  return { host, shadow, dialog };
}

describe('the mounted widget', () => {
  it('builds nothing until a surface opens, then lives in one open shadow root with adopted styles', async () => {
    const consent = create();
    await consent.ready;
    expect(document.querySelector('inapp-consent')).toBeNull();
    const { host, dialog } = await shown(consent, '个人信息保护指引');
    expect(host.parentElement).toBe(document.body);
    expect(host.getAttribute('data-theme')).toBe('auto');
    expect(host.shadowRoot!.adoptedStyleSheets).toHaveLength(1);
    expect(host.shadowRoot!.querySelector('style')).toBeNull();
    expect(dialog.getAttribute('aria-modal')).toBe('true');
    // Nothing of the widget is in the page's own DOM.
    expect(document.body.querySelectorAll('[role=dialog]')).toHaveLength(0);
    consent.destroy();
    expect(document.querySelector('inapp-consent')).toBeNull();
  });

  it('falls back to <style nonce> when asked, and takes a theme', async () => {
    const consent = create({ styleElement: true, styleNonce: 'n0nce', theme: 'dark' });
    const { host } = await shown(consent, '个人信息保护指引');
    const style = host.shadowRoot!.querySelector('style');
    expect(style?.nonce || style?.getAttribute('nonce')).toBe('n0nce');
    expect(style?.textContent).toContain('--iac-bg');
    expect(host.getAttribute('data-theme')).toBe('dark');
  });

  it('refuses an unknown theme, like any bad option', () => {
    expect(() => create({ theme: 'neon' as never })).toThrow(/options\.theme/);
  });

  it('speaks English when asked, or when the page is in English, and takes the host’s strings', async () => {
    const english = create({ locale: 'en' });
    const { dialog } = await shown(english, 'Your personal information');
    expect(within(dialog).getByRole('button', { name: 'Agree' })).toBeTruthy();
    expect(within(dialog).getByRole('button', { name: 'Disagree' })).toBeTruthy();
    english.destroy();

    document.documentElement.lang = 'en-GB';
    const byPage = create();
    await shown(byPage, 'Your personal information');
    byPage.destroy();

    document.documentElement.lang = 'zh-CN';
    const custom = create({ strings: { agree: '同意并继续', flTitle: '温馨提示' } });
    const { dialog: customised } = await shown(custom, '温馨提示');
    expect(within(customised).getByRole('button', { name: '同意并继续' })).toBeTruthy();
  });

  it('moves focus in, traps Tab inside, and returns focus to the page on close', async () => {
    document.body.innerHTML = '<button id="opener">settings</button>';
    const opener = document.getElementById('opener')!;
    opener.focus();
    const consent = create();
    const { host, dialog } = await shown(consent, '个人信息保护指引');
    const inside = () => host.shadowRoot!.activeElement;
    expect(inside()).toBe(dialog);
    const agree = within(dialog).getByRole('button', { name: '同意' });
    // The first stop is the scrolling text itself, so a keyboard can scroll it.
    const text = dialog.querySelector<HTMLElement>('.body')!;
    agree.focus();
    fireEvent.keyDown(agree, { key: 'Tab' });
    expect(inside()).toBe(text);
    fireEvent.keyDown(text, { key: 'Tab', shiftKey: true });
    expect(inside()).toBe(agree);
    // Focus that wanders to the page is brought back.
    opener.focus();
    expect(inside()).toBe(dialog);
    fireEvent.click(agree);
    await waitFor(() => expect(document.activeElement).toBe(opener));
  });
});
