// @vitest-environment happy-dom
import { fireEvent, screen, within } from '@testing-library/preact';
import { describe, expect, it } from 'vitest';
import { renderWidget, richPolicy } from './harness.js';

const field = (container: HTMLElement, label: string) =>
  within(container).getAllByText(label, { selector: 'dt' }).map((dt) => dt.nextElementSibling?.textContent);

async function ask(consentId: string, title: string) {
  const widget = renderWidget(richPolicy());
  const granted = widget.consent.requestSeparateConsent(consentId);
  const dialog = await screen.findByRole('dialog', { name: title });
  return { ...widget, granted, dialog };
}

describe('separate-consent dialogs', () => {
  it('SC-01: the general 同意 does not satisfy a sensitive-item consent; its own dialog names item, purpose, necessity and impact', async () => {
    const { consent } = renderWidget(richPolicy());
    const first = consent.showFirstLaunch();
    fireEvent.click(within(await screen.findByRole('dialog', { name: '个人信息保护指引' })).getByRole('button', { name: '同意' }));
    await first;
    expect(consent.isGranted('face_consent')).toBe(false);
    expect(consent.isGranted('face_verification')).toBe(false);

    const granted = consent.requestSeparateConsent('face_consent');
    const dialog = await screen.findByRole('dialog', { name: '人脸信息单独同意' });
    expect(dialog.getAttribute('aria-describedby') && document.getElementById(dialog.getAttribute('aria-describedby')!)?.textContent).toBe('处理敏感个人信息');
    expect(field(dialog, '个人信息')).toEqual(['人脸图像敏感']);
    expect(field(dialog, '目的')).toEqual(['人脸核验']);
    expect(field(dialog, '必要性')).toEqual(['核验本人身份']);
    expect(field(dialog, '对您的影响')).toEqual(['人脸信息一旦泄露难以更改']);
    fireEvent.click(within(dialog).getByRole('button', { name: '同意' }));
    expect(await granted).toBe(true);
    expect(consent.isGranted('face_verification')).toBe(true);
    // Already granted: asked again, it resolves without a dialog.
    expect(await consent.requestSeparateConsent('face_consent')).toBe(true);
    expect(screen.queryAllByRole('dialog')).toEqual([]);
  });

  it('SC-01: 不同意 is recorded as a refusal; closing with Esc records nothing', async () => {
    const { consent, dialog, granted } = await ask('face_consent', '人脸信息单独同意');
    const decisions: string[] = [];
    consent.on('decision', (event) => decisions.push(`${event.kind}:${JSON.stringify(event.changes)}`));
    fireEvent.click(within(dialog).getByRole('button', { name: '不同意' }));
    expect(await granted).toBe(false);
    expect(decisions).toHaveLength(1);
    expect(decisions[0]).toContain('"granted":false');

    const again = consent.requestSeparateConsent('face_consent');
    fireEvent.keyDown(await screen.findByRole('dialog', { name: '人脸信息单独同意' }), { key: 'Escape' });
    expect(await again).toBe(false);
    expect(decisions).toHaveLength(1);
  });

  it('SC-02: consent-based provision to an independent recipient shows recipient, contact, purpose, method and categories', async () => {
    const { dialog, granted, consent } = await ask('bank_consent', '向合作银行提供您的银行卡号');
    expect(within(dialog).getByText('向第三方提供个人信息')).toBeTruthy();
    expect(field(dialog, '接收方')).toEqual(['示例合作银行']);
    expect(field(dialog, '联系方式')).toEqual(['95500']);
    expect(field(dialog, '目的')).toEqual(['向合作银行提供']);
    expect(field(dialog, '处理方式')).toEqual(['加密接口传输']);
    expect(field(dialog, '个人信息')).toEqual(['银行卡号敏感']);
    fireEvent.click(within(dialog).getByRole('button', { name: '同意' }));
    expect(await granted).toBe(true);
    expect(consent.isGranted('bank_sharing')).toBe(true);
  });

  it('SC-03: public disclosure has its own dialog', async () => {
    const { dialog } = await ask('showcase_consent', '公开您的昵称');
    expect(within(dialog).getByText('公开您的个人信息')).toBeTruthy();
    expect(field(dialog, '个人信息')).toEqual(['昵称']);
    expect(field(dialog, '对您的影响')).toEqual(['任何人都能看到您的昵称']);
  });

  it('SC-04: cross-border transfer names the foreign recipient, contact, country, purpose, method, categories and how to exercise rights', async () => {
    const { dialog } = await ask('overseas_consent', '向境外银行提供信息');
    expect(within(dialog).getByText('向境外提供个人信息')).toBeTruthy();
    expect(field(dialog, '接收方')).toEqual(['Example Bank Ltd.']);
    expect(field(dialog, '联系方式')).toEqual(['privacy@bank.example']);
    expect(field(dialog, '所在国家或地区')).toEqual(['新加坡']);
    expect(field(dialog, '目的')).toEqual(['境外汇兑']);
    expect(field(dialog, '处理方式')).toEqual(['经SWIFT报文传输']);
    expect(field(dialog, '个人信息')).toEqual(['银行卡号敏感']);
    expect(field(dialog, '向接收方行使权利的方式')).toEqual(['致电 400-000-0000 向境外银行行使权利']);
  });

  it('rejects an id the policy does not declare, before showing anything', () => {
    const { consent } = renderWidget(richPolicy());
    expect(() => consent.requestSeparateConsent('nope')).toThrow(/not a separate consent/);
    expect(screen.queryAllByRole('dialog')).toEqual([]);
  });
});
