// @vitest-environment happy-dom
import { fireEvent, screen, within } from '@testing-library/preact';
import { describe, expect, it } from 'vitest';
import type { BridgeTransport } from '../../src/bridge/transport.js';
import type { Permission } from '../../src/core/policy-types.js';
import { renderWidget, richPolicy } from './harness.js';

/** A native host that knows every permission as "not asked yet" and grants it when asked. */
function fakeNativeHost(): BridgeTransport & { requests: string[] } {
  let deliver: (raw: unknown) => void = () => undefined;
  const requests: string[] = [];
  const results: Record<string, unknown> = {
    hello: { protocols: [1], platform: 'android' },
    'permission.check': { status: 'denied', canAsk: true },
    'permission.request': { status: 'granted', canAsk: false },
  };
  return {
    name: 'test',
    requests,
    send(text) {
      const message = JSON.parse(text) as { type: string; id: string; method: string };
      if (message.type !== 'req') return;
      requests.push(message.method);
      setTimeout(() => deliver(JSON.stringify({ ns: 'consent', v: 1, type: 'res', id: message.id, result: results[message.method] ?? {} })), 0);
    },
    listen(receive) {
      deliver = receive;
      return () => undefined;
    },
  };
}

const camera = (): Permission => richPolicy().permissions.find((permission) => permission.id === 'camera')!;
const scan = () => richPolicy().features.find((feature) => feature.id === 'scan')!;
const field = (container: HTMLElement, label: string) => within(container).getByText(label, { selector: 'dt' }).nextElementSibling?.textContent;

describe('permission rationale prompt', () => {
  it('PP-02: names the permission, the feature asking, the purpose, the refusal impact and the SDK; 继续 is not "Allow"', async () => {
    const { rationale } = renderWidget(richPolicy());
    const choice = rationale(camera(), { feature: scan(), userInitiated: false, action: 'request', status: 'denied' });
    const prompt = await screen.findByRole('dialog', { name: '申请使用相机' });
    expect(document.getElementById(prompt.getAttribute('aria-describedby')!)?.textContent).toBe('用于扫描付款码');
    expect(field(prompt, '相关功能')).toBe('扫码支付');
    expect(field(prompt, '拒绝的影响')).toBe('无法扫码付款');
    expect(field(prompt, '申请方')).toBe('扫码SDK · 示例扫码技术有限公司');
    const buttons = within(prompt).getAllByRole('button').map((button) => button.textContent);
    expect(buttons).toEqual(['暂不', '继续']);
    expect(buttons.some((label) => /允许|allow/i.test(label ?? ''))).toBe(false);
    fireEvent.click(within(prompt).getByRole('button', { name: '继续' }));
    expect(await choice).toBe('continue');
  });

  it('PP-02: 暂不 and Esc resolve not_now; when only settings can grant it, the one way on says 去设置', async () => {
    const { rationale } = renderWidget(richPolicy());
    const first = rationale(camera(), { feature: scan(), userInitiated: false, action: 'request', status: 'denied' });
    fireEvent.click(within(await screen.findByRole('dialog', { name: '申请使用相机' })).getByRole('button', { name: '暂不' }));
    expect(await first).toBe('not_now');
    const second = rationale(camera(), { feature: scan(), userInitiated: true, action: 'open_settings', status: 'blocked' });
    const prompt = await screen.findByRole('dialog', { name: '申请使用相机' });
    expect(within(prompt).getByRole('button', { name: '去设置' })).toBeTruthy();
    fireEvent.keyDown(prompt, { key: 'Escape' });
    expect(await second).toBe('not_now');
  });

  it('PP-02: requestPermission shows the prompt before the OS request, and only 继续 leads to it', async () => {
    const host = fakeNativeHost();
    const { consent } = renderWidget(richPolicy(), { headless: { bridge: host } });
    const result = consent.requestPermission('camera', { feature: 'scan' });
    const prompt = await screen.findByRole('dialog', { name: '申请使用相机' });
    expect(host.requests).not.toContain('permission.request');
    fireEvent.click(within(prompt).getByRole('button', { name: '继续' }));
    expect((await result).status).toBe('granted');
    expect(host.requests).toContain('permission.request');
    expect(consent.state.value.permissions.camera).toBe('granted');
  });

  it('PP-03: one permission per prompt: a second request while one is on screen shows no second prompt', async () => {
    const { consent } = renderWidget(richPolicy(), { headless: { bridge: fakeNativeHost() } });
    const first = consent.requestPermission('camera', { feature: 'scan' });
    const prompt = await screen.findByRole('dialog', { name: '申请使用相机' });
    await expect(consent.requestPermission('location', { feature: 'nearby' })).rejects.toThrow(/one at a time/);
    await expect(consent.requestPermission(['camera', 'location'] as unknown as string, { feature: 'scan' })).rejects.toThrow(/one permission/);
    expect(screen.getAllByRole('dialog')).toHaveLength(1);
    fireEvent.click(within(prompt).getByRole('button', { name: '暂不' }));
    expect((await first).reason).toBe('not_now');
    expect(consent.state.value.permissions.camera).toBe('denied');
  });
});
