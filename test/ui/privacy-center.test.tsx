// @vitest-environment happy-dom
import { fireEvent, screen, waitFor, within } from '@testing-library/preact';
import { describe, expect, it } from 'vitest';
import type { ConsentSnapshot } from '../../src/host/snapshot.js';
import { renderWidget, richPolicy } from './harness.js';

const CENTER = '隐私设置';

async function openCenter(agreed = true) {
  const widget = renderWidget(richPolicy());
  await widget.consent.ready;
  if (agreed) await widget.consent.agree();
  const closed = widget.consent.openPrivacyCenter();
  const center = await screen.findByRole('dialog', { name: CENTER });
  return { ...widget, center, closed };
}

const heading = (container: HTMLElement, name: string) => within(container).getByText(name, { selector: 'h3' });
const field = (container: HTMLElement, label: string) => within(container).getByText(label, { selector: 'dt' }).nextElementSibling?.textContent;
const entry = (container: HTMLElement, name: string) => within(container).getAllByText(name, { selector: 'summary, summary *' })[0]!.closest('details') as HTMLElement;

describe('privacy center', () => {
  it('WD-01: withdrawing a purpose is one tap, as granting was, and takes effect at once', async () => {
    const { consent, center } = await openCenter();
    const marketing = within(center).getByRole('switch', { name: '个性化推送' }) as HTMLInputElement;
    expect(marketing.checked).toBe(false);
    fireEvent.click(marketing); // tap 1: on
    await waitFor(() => expect(consent.isGranted('marketing')).toBe(true));
    expect(marketing.checked).toBe(true);
    fireEvent.click(marketing); // tap 1: off
    await waitFor(() => expect(consent.isGranted('marketing')).toBe(false));
    expect(marketing.checked).toBe(false);
    // Basic functions can be withdrawn the same way (PIPL 15).
    const account = within(center).getByRole('switch', { name: '注册与登录' }) as HTMLInputElement;
    expect(account.checked).toBe(true);
    fireEvent.click(account);
    await waitFor(() => expect(consent.isGranted('account')).toBe(false));
  });

  it('WD-01: a separate consent takes two taps to grant (switch, then 同意 in its dialog) and one to withdraw', async () => {
    const { consent, center } = await openCenter();
    const face = within(center).getByRole('switch', { name: '人脸信息单独同意' }) as HTMLInputElement;
    face.focus(); // as a tap would
    fireEvent.click(face);
    fireEvent.click(within(await screen.findByRole('dialog', { name: '人脸信息单独同意' })).getByRole('button', { name: '同意' }));
    await waitFor(() => expect(consent.isGranted('face_consent')).toBe(true));
    // The center comes back with the switch on, and focus back on it.
    const back = await screen.findByRole('dialog', { name: CENTER });
    const again = within(back).getByRole('switch', { name: '人脸信息单独同意' }) as HTMLInputElement;
    await waitFor(() => expect(again.checked).toBe(true));
    expect(document.activeElement).toBe(again);
    fireEvent.click(again);
    await waitFor(() => expect(consent.isGranted('face_consent')).toBe(false));
    expect(screen.getAllByRole('dialog')).toHaveLength(1);
  });

  it('WD-01: refusing the separate consent a purpose rests on leaves the switch off', async () => {
    const { consent, center } = await openCenter();
    const nearby = within(center).getByRole('switch', { name: '基于位置的推荐' }) as HTMLInputElement;
    fireEvent.click(nearby);
    fireEvent.click(within(await screen.findByRole('dialog', { name: '位置信息单独同意' })).getByRole('button', { name: '不同意' }));
    await waitFor(() => expect(nearby.checked).toBe(false));
    expect(consent.isGranted('nearby_recommendation')).toBe(false);
  });

  it('CG-06: the personalisation switch turns it off at once and tells the host', async () => {
    const { consent, center } = await openCenter();
    await consent.setPurpose('marketing', true);
    const changes: ConsentSnapshot[] = [];
    consent.on('change', (snapshot) => changes.push(snapshot));
    const personalised = within(center).getByRole('switch', { name: '个性化推送' }) as HTMLInputElement;
    await waitFor(() => expect(personalised.checked).toBe(true));
    fireEvent.click(personalised);
    await waitFor(() => expect(consent.isGranted('marketing')).toBe(false));
    // The host hears of it once the change is stored.
    await waitFor(() => expect(changes.at(-1)?.granted.marketing).toBe(false));
  });

  it('FL-06: the policy is one tap away', async () => {
    const { center } = await openCenter();
    fireEvent.click(within(center).getByRole('button', { name: '隐私政策' }));
    expect(await screen.findByRole('dialog', { name: '隐私政策摘要' })).toBeTruthy();
    expect(within(center).getByRole('link', { name: '阅读《示例应用隐私政策》全文', hidden: true }).getAttribute('href')).toBe('full-text.html');
  });

  it('NC-05: lists third parties and SDKs with purpose, data, scene, method and contact', async () => {
    const { center } = await openCenter();
    expect(heading(center, '第三方共享清单')).toBeTruthy();
    const bank = entry(center, '示例合作银行');
    expect(field(bank, '目的')).toBe('办理银行卡绑定');
    expect(field(bank, '个人信息')).toBe('银行卡号敏感');
    expect(field(bank, '场景')).toBe('绑定银行卡时');
    expect(field(bank, '处理方式')).toBe('加密接口传输');
    expect(field(bank, '联系方式')).toBe('95500');
    expect(field(entry(center, '扫码SDK'), '目的')).toBe('识别二维码');
  });

  it('NC-06: lists the personal information collected per function', async () => {
    const { center } = await openCenter();
    expect(heading(center, '已收集个人信息清单')).toBeTruthy();
    expect(field(entry(center, '注册账户'), '个人信息')).toBe('手机号码');
    const scan = entry(center, '扫码支付');
    expect(field(scan, '个人信息')).toBe('银行卡号敏感');
    expect(field(scan, '系统权限')).toBe('相机');
  });

  it('NC-07: lists each permission with its function, purpose, when it is asked, how to turn it off, the effect, and its state', async () => {
    const { center, consent } = await openCenter();
    await consent.recordPermission('location', 'granted', 'continue');
    const location = await waitFor(() => {
      const found = entry(center, '位置信息');
      expect(within(found).getByText('已允许')).toBeTruthy();
      return found;
    });
    expect(field(location, '相关功能')).toBe('附近门店');
    expect(field(location, '目的')).toBe('用于查找附近门店');
    expect(field(location, '拒绝的影响')).toBe('无法查看附近门店');
    expect(within(location).getByText('仅在您使用相关功能时申请，可在系统设置中关闭。')).toBeTruthy();
    expect(within(entry(center, '相机')).getByText('未申请')).toBeTruthy();
  });

  it('shows every purpose: switches for consent-based ones, a note for those required by law', async () => {
    const { center } = await openCenter();
    expect(within(center).getByText('实名制管理').nextElementSibling?.textContent).toBe('依法处理，无需同意');
    expect(within(center).queryByRole('switch', { name: '实名制管理' })).toBeNull();
  });

  it('after a decline, offers the first-launch dialog again from the center, by the person’s own tap', async () => {
    const { consent, center } = await openCenter(false);
    await consent.decline();
    fireEvent.click(await within(center).findByRole('button', { name: '查看并同意隐私政策' }));
    fireEvent.click(within(await screen.findByRole('dialog', { name: '个人信息保护指引' })).getByRole('button', { name: '同意' }));
    await waitFor(() => expect(consent.state.value.decision).toBe('agreed'));
    expect(await screen.findByRole('dialog', { name: CENTER })).toBeTruthy();
    expect(within(center).queryByRole('button', { name: '查看并同意隐私政策' })).toBeNull();
  });

  it('closes with its button or Esc and resolves', async () => {
    const { center, closed } = await openCenter();
    fireEvent.keyDown(center, { key: 'Escape' });
    await closed;
    expect(screen.queryAllByRole('dialog')).toEqual([]);
  });
});
