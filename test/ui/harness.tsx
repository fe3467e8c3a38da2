import { cleanup, render } from '@testing-library/preact';
import { afterEach } from 'vitest';
import type { PolicyDocument } from '../../src/core/policy-types.js';
import { validatePolicy } from '../../src/core/policy-validate.js';
import type { KeyValueStore } from '../../src/core/ports.js';
import { createConsent as createHeadless } from '../../src/host/create-consent.js';
import type { ConsentOptions } from '../../src/host/options.js';
import type { RationalePrompt } from '../../src/permissions/types.js';
import { createMemoryStore } from '../../src/storage/memory.js';
import { attachWidget } from '../../src/ui/create-consent.js';
import { Root } from '../../src/ui/root.js';
import type { ConsentUi, WidgetOptions } from '../../src/ui/types.js';
import { fixturePolicy } from '../fixtures/policy.js';

const live: ConsentUi[] = [];
afterEach(() => {
  cleanup();
  for (const consent of live.splice(0)) consent.destroy();
});

/**
 * The widget rendered by @testing-library/preact into the document (no shadow root, so
 * `screen` queries reach it), over a headless instance with memory storage and no bridge.
 * Pass the same `store` to a second call to stand for a reload.
 */
export function renderWidget(
  policy: PolicyDocument = fixturePolicy(),
  options: { store?: KeyValueStore; widget?: WidgetOptions; headless?: Partial<ConsentOptions> } = {},
) {
  const store = options.store ?? createMemoryStore();
  let prompt: RationalePrompt | undefined;
  const headless = createHeadless({ policy, storage: store, bridge: 'none', rationale: (permission, context) => prompt!(permission, context), ...options.headless });
  const { consent, rationale } = attachWidget(headless, { locale: 'zh-CN', ...options.widget }, (ctx, stack) => {
    const result = render(<Root ctx={ctx} stack={stack} />);
    return { host: result.container as HTMLElement, unmount: () => void result.unmount() };
  });
  prompt = rationale;
  live.push(consent);
  return { consent, rationale, store };
}

/**
 * The fixture plus what the separate-consent, permission and minors tests need: an
 * independent recipient, a foreign one, public disclosure, an SDK that asks for a permission,
 * a DPO and a change summary.
 */
export function richPolicy(): PolicyDocument {
  const base = fixturePolicy();
  const policy: PolicyDocument = {
    ...base,
    policy: { ...base.policy, updatedAt: '2026-10-01', publishedAt: '2026-09-20', keyPoints: ['我们**不会**出售您的个人信息'], changeSummary: '新增向合作银行提供信息的说明' },
    controller: { ...base.controller, dpo: { name: '张三', department: '个人信息保护部', contactRefs: [0] }, addresses: [{ kind: 'registered', text: '上海市浦东新区示例路1号' }], complaintAuthorities: ['您可向网信部门投诉'] },
    dataItems: [...base.dataItems, { id: 'bank_card', label: '银行卡号', sensitive: { pipl28: 'financial_account' } }, { id: 'nickname', label: '昵称' }],
    features: [
      ...base.features,
      { id: 'scan', label: '扫码支付', necessity: 'extended', items: [{ id: 'bank_card', required: true }], permissions: ['camera'], refusalImpact: { level: 'feature_unavailable', affects: ['scan'], text: '无法扫码，不影响其他功能' } },
    ],
    purposes: [
      ...base.purposes,
      { id: 'bank_sharing', label: '向合作银行提供', legalBasis: 'consent', consentMode: 'separate', items: ['bank_card'], recipients: ['partner_bank'], method: '加密传输' },
      { id: 'showcase', label: '公开展示名片', legalBasis: 'consent', consentMode: 'separate', items: ['nickname'] },
      { id: 'overseas', label: '境外汇兑', legalBasis: 'consent', consentMode: 'separate', items: ['bank_card'], recipients: ['overseas_bank'], method: '经SWIFT报文传输' },
    ],
    separateConsents: [
      ...base.separateConsents,
      { id: 'bank_consent', trigger: 'third_party_provision', title: '向合作银行提供您的银行卡号', items: ['bank_card'], purposeId: 'bank_sharing', recipientId: 'partner_bank', necessity: '完成银行卡绑定', impact: '银行将独立处理您的信息' },
      { id: 'showcase_consent', trigger: 'public_disclosure', title: '公开您的昵称', items: ['nickname'], purposeId: 'showcase', necessity: '在名片广场展示', impact: '任何人都能看到您的昵称' },
      { id: 'overseas_consent', trigger: 'cross_border', title: '向境外银行提供信息', items: ['bank_card'], purposeId: 'overseas', recipientId: 'overseas_bank', necessity: '完成境外汇款', impact: '信息将出境', rightsAgainstRecipient: '致电 400-000-0000 向境外银行行使权利' },
      { id: 'child_consent', trigger: 'minor_under_14', title: '儿童个人信息单独同意', items: ['phone'], necessity: '为儿童提供服务', impact: '儿童个人信息属于敏感个人信息' },
    ],
    permissions: [
      ...base.permissions,
      { id: 'camera', kind: 'camera', label: '相机', requester: { type: 'sdk', sdkId: 'scan_sdk' }, features: ['scan'], purposeText: '用于扫描付款码', refusalImpact: { level: 'feature_unavailable', affects: ['scan'], text: '无法扫码付款' }, askPolicy: { when: 'on_feature_use', cooldownHours: 48, allowUserInitiatedBypass: true } },
    ],
    recipients: [
      { id: 'partner_bank', name: '示例合作银行', contact: '95500', role: 'independent_controller', legalBasis: 'consent', items: ['bank_card'], purpose: '办理银行卡绑定', method: '加密接口传输', scene: '绑定银行卡时' },
      { id: 'overseas_bank', name: 'Example Bank Ltd.', contact: 'privacy@bank.example', role: 'independent_controller', legalBasis: 'consent', items: ['bank_card'], purpose: '境外汇款入账', method: '经SWIFT报文传输', crossBorder: { country: '新加坡', mechanism: '标准合同' } },
    ],
    sdks: [{ id: 'scan_sdk', name: '扫码SDK', provider: '示例扫码技术有限公司', contact: 'sdk@scan.example', privacyPolicyUrl: 'https://scan.example/privacy', purpose: '识别二维码', items: ['bank_card'] }],
    rights: [
      ...base.rights,
      { right: 'correct', channels: [{ type: 'in_app_path', value: '我的→个人资料' }] },
      { right: 'delete', channels: [{ type: 'email', value: 'delete@example.com' }] },
    ],
    minors: { ...base.minors, text: '我们的服务面向成年人。', childrenRulesUrl: 'https://example.com/children' },
  };
  const problems = validatePolicy(policy);
  if (problems.length > 0) throw new Error(`richPolicy is invalid:\n${problems.map((p) => `${p.path}: ${p.message}`).join('\n')}`);
  return policy;
}
