// @vitest-environment happy-dom
import { fireEvent, screen, within } from '@testing-library/preact';
import { describe, expect, it } from 'vitest';
import { renderWidget, richPolicy } from './harness.js';

function withAgeGate() {
  const policy = richPolicy();
  return { ...policy, minors: { ...policy.minors, ageGate: true, guardianConsentBelow: 14 }, security: { measures: ['传输与存储加密', '按最小权限控制访问'] } };
}

async function declareChild() {
  const widget = renderWidget(withAgeGate());
  const outcome = widget.consent.showFirstLaunch();
  const gate = await screen.findByRole('dialog', { name: '年龄确认' });
  expect(document.getElementById(gate.getAttribute('aria-describedby')!)?.textContent).toBe('您是否已年满14周岁？');
  fireEvent.click(within(gate).getByRole('button', { name: '未满14周岁' }));
  const guardian = await screen.findByRole('dialog', { name: '请监护人阅读并同意' });
  return { ...widget, outcome, guardian };
}

const field = (container: HTMLElement, label: string) => within(container).getByText(label, { selector: 'dt' }).nextElementSibling?.textContent;

describe('age gate and guardian dialog', () => {
  it('MN-01: with ageGate, the age question comes first; an adult goes on to the first-launch dialog', async () => {
    const { consent } = renderWidget(withAgeGate());
    void consent.showFirstLaunch();
    fireEvent.click(within(await screen.findByRole('dialog', { name: '年龄确认' })).getByRole('button', { name: '已满14周岁' }));
    expect(await screen.findByRole('dialog', { name: '个人信息保护指引' })).toBeTruthy();
  });

  it('MN-01: a child goes to the guardian; the guardian’s agreement also grants the separate consent for the child’s information', async () => {
    const { consent, outcome, guardian } = await declareChild();
    fireEvent.click(within(guardian).getByRole('button', { name: '监护人同意' }));
    expect(await outcome).toBe('agreed');
    expect(consent.isGranted('child_consent')).toBe(true);
    expect(consent.isGranted('account')).toBe(true);
    expect(consent.isGranted('marketing')).toBe(false);
  });

  it('MN-02: the guardian dialog renders the CHILD Art. 10 items and links to the children’s rules', async () => {
    const { guardian } = await declareChild();
    expect(within(guardian).getByText('我们的服务面向成年人。')).toBeTruthy();
    expect(within(guardian).getAllByText('注册与登录').length).toBeGreaterThan(0);
    // Purpose, method and scope per purpose (above); the dialog's own facts below them.
    const facts = [...guardian.querySelectorAll<HTMLElement>('.body > dl')].at(-1)!;
    expect(field(facts, '存储地点')).toBe('中华人民共和国境内');
    expect(field(facts, '保存期限')).toBe('账号注销后一个月内删除');
    expect(field(facts, '安全保护措施')).toBe('传输与存储加密；按最小权限控制访问');
    expect(field(facts, '拒绝的影响')).toContain('需要个人信息的功能暂不可用');
    expect(field(facts, '投诉与举报')).toBe('privacy@example.com');
    expect(field(facts, '更正、补充')).toBe('我的→个人资料');
    expect(field(facts, '删除')).toBe('delete@example.com');
    expect(within(guardian).getByRole('link', { name: '儿童个人信息保护规则' }).getAttribute('href')).toBe('https://example.com/children');
  });

  it('MN-02: the guardian can refuse; that is the limited mode with one explanation', async () => {
    const { consent, outcome, guardian } = await declareChild();
    fireEvent.click(within(guardian).getByRole('button', { name: '不同意' }));
    fireEvent.click(within(await screen.findByRole('dialog', { name: '您未同意隐私政策' })).getByRole('button', { name: '我知道了' }));
    expect(await outcome).toBe('declined');
    expect(consent.isGranted('child_consent')).toBe(false);
    expect(screen.queryAllByRole('dialog')).toEqual([]);
  });
});
