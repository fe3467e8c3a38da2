// @vitest-environment happy-dom
import { screen, within } from '@testing-library/preact';
import { describe, expect, it } from 'vitest';
import type { PolicyDocument } from '../../src/core/policy-types.js';
import { renderWidget, richPolicy } from './harness.js';

async function openSummary(policy: PolicyDocument = richPolicy()) {
  const { consent } = renderWidget(policy);
  void consent.showPolicySummary();
  return screen.findByRole('dialog', { name: '隐私政策摘要' });
}

/** The <details> entry whose summary line reads `name`. */
const entry = (container: HTMLElement, name: string) => {
  const found = within(container).getAllByText(name, { selector: 'summary, summary *' })[0]?.closest('details');
  if (!found) throw new Error(`no entry ${name}`);
  return found as HTMLElement;
};
/** The value next to a label inside an entry. */
const field = (container: HTMLElement, label: string) => within(container).getByText(label, { selector: 'dt' }).nextElementSibling?.textContent;

describe('policy summary', () => {
  it('NC-01: renders the controller and its contacts', async () => {
    const summary = await openSummary();
    expect(within(summary).getAllByText('示例科技有限公司').length).toBeGreaterThan(0);
    expect(within(summary).getAllByText('privacy@example.com').length).toBeGreaterThan(0);
    expect(within(summary).getAllByText('400-000-0000').length).toBeGreaterThan(0);
  });

  it('NC-02: each purpose renders its text, method, exhaustive data items and retention', async () => {
    const summary = await openSummary();
    const bank = entry(summary, '向合作银行提供');
    expect(field(bank, '处理方式')).toBe('加密传输');
    expect(field(bank, '个人信息')).toBe('银行卡号敏感');
    expect(field(bank, '保存期限')).toBe('账号注销后一个月内删除');
    expect(field(bank, '处理依据')).toBe('您的同意');
    const account = entry(summary, '注册与登录');
    expect(field(account, '个人信息')).toBe('手机号码');
    expect(field(account, '处理依据')).toBe('订立、履行合同所必需');
  });

  it('NC-03: renders every right with its channel', async () => {
    const summary = await openSummary();
    const rights = within(summary).getByText('您的权利', { selector: 'h3' }).nextElementSibling as HTMLElement;
    expect(field(rights, '查阅')).toBe('我的→设置→个人信息');
    expect(field(rights, '更正、补充')).toBe('我的→个人资料');
    expect(field(rights, '删除')).toBe('delete@example.com');
    expect(field(rights, '投诉')).toBe('privacy@example.com');
    expect(within(rights).getByText('撤回同意', { selector: 'dt' })).toBeTruthy();
  });

  it('NC-04: sensitive items are marked, and their purposes show necessity and impact', async () => {
    const summary = await openSummary();
    const face = entry(summary, '人脸核验');
    expect(within(face).getByText('人脸图像').tagName).toBe('STRONG');
    expect(within(face).getAllByText('敏感').length).toBeGreaterThan(0);
    expect(field(face, '必要性')).toBe('核验本人身份');
    expect(field(face, '对您的影响')).toBe('人脸信息一旦泄露难以更改');
  });

  it('NC-08: renders the DPO and their contact', async () => {
    const summary = await openSummary();
    expect(field(summary, '个人信息保护负责人')).toBe('张三 个人信息保护部 privacy@example.com');
  });

  it('NC-09: renders a complaint channel with the stated reply time', async () => {
    const summary = await openSummary();
    const heading = within(summary).getByText('投诉与举报', { selector: 'h3' });
    expect(heading.nextElementSibling?.textContent).toContain('privacy@example.com');
    expect(within(summary).getByText('我们将在15个工作日内答复')).toBeTruthy();
    expect(within(summary).getByText('您可向网信部门投诉')).toBeTruthy();
  });

  it('NC-10: shows the version, update date and effective date', async () => {
    const summary = await openSummary();
    expect(field(summary, '版本')).toBe('1.0');
    expect(field(summary, '更新日期')).toBe('2026-10-01');
    expect(field(summary, '生效日期')).toBe('2026-01-01');
    expect(field(summary, '发布日期')).toBe('2026-09-20');
  });

  it('NC-05 … NC-07: lists data per function, third parties and SDKs, and permissions with purpose and refusal impact', async () => {
    const summary = await openSummary();
    expect(field(entry(summary, '附近门店'), '个人信息')).toBe('GPS定位信息敏感');
    expect(field(entry(summary, '示例合作银行'), '联系方式')).toBe('95500');
    expect(field(entry(summary, '扫码SDK'), '提供方')).toBe('示例扫码技术有限公司');
    const camera = entry(summary, '相机');
    expect(field(camera, '目的')).toBe('用于扫描付款码');
    expect(field(camera, '拒绝的影响')).toBe('无法扫码付款');
    expect(field(camera, '申请方')).toBe('扫码SDK');
  });

  it('renders policy text as text: markup stays visible, only **bold** becomes <strong>, unsafe links are not links', async () => {
    const rich = richPolicy();
    const keyPoints = ['<img src=x onerror="alert(1)"><script>alert(2)</script>', '请注意**人脸信息**的用途'];
    const summary = await openSummary({ ...rich, policy: { ...rich.policy, keyPoints } });
    expect(within(summary).getByText('<img src=x onerror="alert(1)"><script>alert(2)</script>')).toBeTruthy();
    expect(summary.querySelector('img, script')).toBeNull();
    expect(within(summary).getByText('人脸信息', { selector: 'strong' })).toBeTruthy();
    expect(within(summary).getByRole('link', { name: 'https://scan.example/privacy' }).getAttribute('href')).toBe('https://scan.example/privacy');
  });
});
