import { describe, expect, it } from 'vitest';
import { openListMarker } from '../../src/core/lint-rules.js';
import { countFindings, coversPath, lintPolicy, type Finding } from '../../src/core/policy-lint.js';
import type { PolicyDocument } from '../../src/core/policy-types.js';
import { validatePolicy } from '../../src/core/policy-validate.js';
import { fixturePolicy } from '../fixtures/policy.js';

/** Plain, writable JSON, for changing the fixture one field at a time. */
type Json = { [key: string]: any };

/** The fixture with every right the RT-01 row asks for, so that it lints clean. */
function clean(): Json {
  const policy = fixturePolicy() as unknown as Json;
  policy.rights.push(
    { right: 'correct', channels: [{ type: 'in_app_path', value: '我的→设置→个人信息' }] },
    { right: 'delete', channels: [{ type: 'email', value: 'privacy@example.com' }] },
    { right: 'close_account', channels: [{ type: 'in_app_path', value: '我的→设置→注销账号' }] },
  );
  return policy;
}

/** Lints a document after checking it is valid, so a test never lints something the CLI would reject. */
function lint(policy: Json): Finding[] {
  expect(validatePolicy(policy)).toEqual([]);
  return lintPolicy(policy as PolicyDocument);
}
const found = (policy: Json, rule: string) =>
  lint(policy).filter((finding) => finding.rule === rule).map(({ severity, path }) => `${severity} ${path}`);

const sdk = (id: string, extra: Json = {}): Json => ({ id, name: `${id} SDK`, purpose: '统计分析', ...extra });
const recipient = (id: string, extra: Json = {}): Json =>
  ({ id, name: `${id} 公司`, role: 'independent_controller', legalBasis: 'contract', contact: '400-111-1111', ...extra });

describe('lintPolicy', () => {
  it('finds nothing in a complete policy', () => {
    expect(lint(clean())).toEqual([]);
  });

  it('gives every finding a rule, a severity, a path and a message naming what was expected', () => {
    const policy = clean();
    policy.controller.contacts = [];
    expect(lint(policy)).toEqual([{ rule: 'NC-01', severity: 'error', path: 'controller.contacts', message: expect.stringMatching(/expected/) }]);
  });

  it('NC-01: flags an empty controller.contacts as an error', () => {
    const policy = clean();
    policy.controller.contacts = [];
    expect(found(policy, 'NC-01')).toEqual(['error controller.contacts']);
    expect(found(clean(), 'NC-01')).toEqual([]);
  });

  it('NC-01: warns when every controller contact is in-app, and not when one is reachable outside the app', () => {
    const policy = clean();
    policy.controller.contacts = [{ channel: 'in_app', value: '我的→客服' }, { channel: 'wechat', value: '示例公众号' }];
    expect(found(policy, 'NC-01')).toEqual(['warning controller.contacts']);
    policy.controller.contacts.push({ channel: 'mail', value: '北京市示例路1号' });
    expect(found(policy, 'NC-01')).toEqual([]);
  });

  it.each(['姓名、手机号等信息', '姓名、手机号等', '设备型号、系统版本等。', '设备信息（型号、系统等）', '包括但不限于姓名', '例如姓名', '诸如住址', '姓名及其他必要信息', '型号等等'])(
    'NC-02: flags the open-ended list in data item label %j',
    (label) => {
      const policy = clean();
      policy.dataItems[0].label = label;
      expect(found(policy, 'NC-02')).toEqual(['warning dataItems[0].label']);
    },
  );

  it.each(['平等对待的记录', '会员等级', '等待时长', '该等信息的副本', '中等收入区间', '手机号码'])('NC-02: does not flag %j, where 等 is part of a word', (label) => {
    const policy = clean();
    policy.dataItems[0].label = label;
    expect(found(policy, 'NC-02')).toEqual([]);
  });

  it('NC-02: also checks recipients[].itemsText and sdks[].collection[].detail', () => {
    const policy = clean();
    policy.recipients.push(recipient('bank', { itemsText: '交易金额、时间等' }), recipient('courier', { itemsText: '收件人姓名、地址' }));
    policy.sdks.push(sdk('probe', {
      provider: '示例', privacyPolicyUrl: 'https://example.com/p',
      collection: [{ platform: 'all', category: '设备信息', detail: '型号' }, { platform: 'android', category: '应用列表', detail: 'APP名称、包名、签名等信息' }],
    }));
    expect(found(policy, 'NC-02')).toEqual(['warning recipients[0].itemsText', 'warning sdks[0].collection[1].detail']);
  });

  it('NC-02: names the marker it found', () => {
    expect(openListMarker('APP名称、包名等信息')).toBe('等');
    expect(openListMarker('包括但不限于姓名')).toBe('包括但不限于');
    expect(openListMarker('安全等级保护')).toBeUndefined();
  });

  it('NC-04: flags a consent-based purpose using a sensitive item without sensitiveNotice as an error', () => {
    const policy = clean();
    delete policy.purposes[3].sensitiveNotice;
    expect(found(policy, 'NC-04')).toEqual(['error purposes[3].sensitiveNotice']);
    expect(found(clean(), 'NC-04')).toEqual([]);
  });

  it('NC-04: warns when a purpose on another legal basis uses a sensitive item without sensitiveNotice', () => {
    const policy = clean();
    delete policy.purposes[1].sensitiveNotice;
    expect(found(policy, 'NC-04')).toEqual(['warning purposes[1].sensitiveNotice']);
  });

  it('NC-04: treats an item marked { gbt35273: false } as not sensitive, and { gbt35273: true } as sensitive', () => {
    const policy = clean();
    delete policy.purposes[1].sensitiveNotice;
    policy.dataItems[3].sensitive = { gbt35273: false };
    expect(found(policy, 'NC-04')).toEqual([]);
    policy.dataItems[3].sensitive = { gbt35273: true };
    expect(found(policy, 'NC-04')).toEqual(['warning purposes[1].sensitiveNotice']);
  });

  it('NC-05: warns about a recipient with no contact and an SDK with no provider or no privacy policy URL', () => {
    const policy = clean();
    policy.recipients.push(recipient('bank', { contact: null }), recipient('courier'));
    policy.sdks.push(sdk('probe', { provider: null }), sdk('maps', { provider: '示例地图', privacyPolicyUrl: 'https://example.com/privacy' }));
    expect(found(policy, 'NC-05')).toEqual(['warning recipients[0].contact', 'warning sdks[0].provider', 'warning sdks[0].privacyPolicyUrl']);
  });

  it('NC-08: warns when controller.dpoRequired is true and no DPO is named', () => {
    const policy = clean();
    policy.controller.dpoRequired = true;
    expect(found(policy, 'NC-08')).toEqual(['warning controller.dpo']);
    policy.controller.dpo = { department: '信息安全部', contactRefs: [0] };
    expect(found(policy, 'NC-08')).toEqual([]);
  });

  it('NC-09: warns when there is no complain right with at least one channel', () => {
    const policy = clean();
    policy.rights[2].channels = [];
    expect(found(policy, 'NC-09')).toEqual(['warning rights']);
    policy.rights.splice(2, 1);
    expect(found(policy, 'NC-09')).toEqual(['warning rights']);
    expect(found(clean(), 'NC-09')).toEqual([]);
  });

  it('NC-10: warns when the policy has neither effectiveAt nor updatedAt', () => {
    const policy = clean();
    policy.policy.effectiveAt = null;
    expect(found(policy, 'NC-10')).toEqual(['warning policy.effectiveAt']);
    policy.policy.updatedAt = '2026-02-01';
    expect(found(policy, 'NC-10')).toEqual([]);
  });

  it('FL-02: warns when there is no policy.fullTextUrl', () => {
    const policy = clean();
    delete policy.policy.fullTextUrl;
    expect(found(policy, 'FL-02')).toEqual(['warning policy.fullTextUrl']);
    expect(found(clean(), 'FL-02')).toEqual([]);
  });

  it('RT-01: warns for each of the six rights that is missing', () => {
    expect(found(fixturePolicy() as unknown as Json, 'RT-01')).toEqual(['warning rights', 'warning rights', 'warning rights']);
    const messages = lintPolicy(fixturePolicy()).filter((finding) => finding.rule === 'RT-01').map((finding) => finding.message);
    expect(messages.join('\n')).toMatch(/"correct"[\s\S]*"delete"[\s\S]*"close_account"/);
    expect(found(clean(), 'RT-01')).toEqual([]);
  });

  it('RT-01: warns about a right with no channel', () => {
    const policy = clean();
    policy.rights.push({ right: 'portability', channels: [] });
    expect(found(policy, 'RT-01')).toEqual(['warning rights[6].channels']);
  });

  it.each([
    [{ value: 20, unit: 'working_day' }, ['error controller.responseTime']],
    [{ value: 15, unit: 'working_day' }, []],
    [{ value: 30, unit: 'day' }, ['warning controller.responseTime']],
    [{ value: 15, unit: 'day' }, []],
    [{ value: 720, unit: 'hour' }, ['warning controller.responseTime']],
    [{ value: 48, unit: 'hour' }, []],
  ])('RT-02: controller.responseTime %j gives %j', (time, expected) => {
    const policy = clean();
    policy.controller.responseTime = time;
    expect(found(policy, 'RT-02')).toEqual(expected);
  });

  it('RT-03: warns when closing the account is possible by phone only', () => {
    const policy = clean();
    policy.rights[5].channels = [{ type: 'phone', value: '400-000-0000' }];
    expect(found(policy, 'RT-03')).toEqual(['warning rights[5].channels']);
    policy.rights[5].channels.push({ type: 'in_app', route: 'account/close' });
    expect(found(policy, 'RT-03')).toEqual([]);
  });

  it('FL-05: flags an optional_toggle purpose with default: true as an error', () => {
    const policy = clean();
    policy.purposes[2].default = true;
    expect(found(policy, 'FL-05')).toEqual(['error purposes[2].default']);
    expect(found(clean(), 'FL-05')).toEqual([]);
  });

  it('CG-01: flags an exposure setting with sdkDefault: true as an error, whatever the source default', () => {
    const policy = clean();
    policy.exposureSettings = [
      { id: 'searchable', label: '允许他人通过手机号搜索到我', sourceDefault: true, sdkDefault: true },
      { id: 'visible', label: '展示我的头像', sourceDefault: true, sdkDefault: false },
    ];
    expect(found(policy, 'CG-01')).toEqual(['error exposureSettings[0].sdkDefault']);
  });

  it.each(['领取红包需要获取您的位置', '免费查看附近门店', '抽奖活动', '赢取积分'])('PP-02: warns about advertising wording in the purpose text %j', (text) => {
    const policy = clean();
    policy.permissions[0].purposeText = text;
    expect(found(policy, 'PP-02')).toEqual(['warning permissions[0].purposeText']);
  });

  it('PP-02: accepts a plain purpose text', () => {
    expect(found(clean(), 'PP-02')).toEqual([]);
  });

  it('PP-08: warns about a permission whose refusal impact is unstated', () => {
    const policy = clean();
    policy.permissions[0].refusalImpact = { level: 'unstated' };
    expect(found(policy, 'PP-08')).toEqual(['warning permissions[0].refusalImpact.level']);
    expect(found(clean(), 'PP-08')).toEqual([]);
  });

  it('PP-06: warns about a permission requested by an SDK whose provider is unknown', () => {
    const policy = clean();
    policy.sdks.push(sdk('probe', { privacyPolicyUrl: 'https://example.com/p' }));
    policy.permissions[0].requester = { type: 'sdk', sdkId: 'probe' };
    expect(found(policy, 'PP-06')).toEqual(['warning permissions[0].requester.sdkId']);
    policy.sdks[0].provider = '示例风控';
    expect(found(policy, 'PP-06')).toEqual([]);
  });

  it('SC-01: flags a consent-based purpose that uses a sensitive item without a separate consent', () => {
    const policy = clean();
    policy.separateConsents.splice(1, 1);
    expect(found(policy, 'SC-01')).toEqual(['error purposes[3].items[0]']);
  });

  it('SC-01: accepts a separate consent that names the purpose, or one that lists the item', () => {
    const byPurpose = clean();
    delete byPurpose.separateConsents[1].items;
    expect(found(byPurpose, 'SC-01')).toEqual([]);
    const byItem = clean();
    delete byItem.separateConsents[1].purposeId;
    expect(found(byItem, 'SC-01')).toEqual([]);
  });

  it('SC-01: does not ask a purpose on another legal basis for a separate consent', () => {
    const policy = clean();
    expect(policy.purposes[1].legalBasis).toBe('legal_obligation');
    expect(found(policy, 'SC-01')).toEqual([]);
  });

  it('SC-02: flags an independent controller receiving data on consent without its own separate consent', () => {
    const policy = clean();
    policy.recipients.push(
      recipient('partner', { legalBasis: 'consent' }),
      recipient('processor', { role: 'entrusted_processor', legalBasis: 'consent' }),
      recipient('clearing', { legalBasis: 'contract' }),
    );
    expect(found(policy, 'SC-02')).toEqual(['error recipients[0]']);
    policy.separateConsents.push({ id: 'to_partner', trigger: 'third_party_provision', title: '向合作方提供', recipientId: 'partner', necessity: '完成服务', impact: '合作方将独立处理' });
    expect(found(policy, 'SC-02')).toEqual([]);
  });

  it('SC-04: flags a cross-border recipient without a cross_border separate consent for it', () => {
    const policy = clean();
    policy.recipients.push(recipient('overseas', { crossBorder: { country: '新加坡' } }), recipient('domestic', { crossBorder: null }));
    policy.separateConsents.push({ id: 'to_overseas', trigger: 'third_party_provision', title: '向境外提供', recipientId: 'overseas', necessity: '汇款', impact: '境外处理' });
    expect(found(policy, 'SC-04')).toEqual(['error recipients[0].crossBorder']);
    policy.separateConsents[2].trigger = 'cross_border';
    expect(found(policy, 'SC-04')).toEqual([]);
  });

  it('MN-01: warns when the policy states neither a minimum user age nor a guardian-consent age', () => {
    const policy = clean();
    policy.minors.minimumUserAge = null;
    policy.minors.guardianConsentBelow = null;
    expect(found(policy, 'MN-01')).toEqual(['warning minors']);
    policy.minors.guardianConsentBelow = 18;
    expect(found(policy, 'MN-01')).toEqual([]);
  });

  it.each(['continued_use', 'login', 'stop_using_if_disagree'])('CH-02: records acceptance model %s as info', (model) => {
    const policy = clean();
    policy.policy.sourceAcceptanceModel = model;
    expect(found(policy, 'CH-02')).toEqual(['info policy.sourceAcceptanceModel']);
  });

  it.each(['explicit_click', 'unspecified'])('CH-02: says nothing about acceptance model %s', (model) => {
    const policy = clean();
    policy.policy.sourceAcceptanceModel = model;
    expect(found(policy, 'CH-02')).toEqual([]);
  });
});

describe('warnings explained by sourceNotes', () => {
  const withOpenList = (notes: Json[]) => {
    const policy = clean();
    policy.dataItems[0].label = '姓名、手机号等信息';
    policy.sourceNotes = notes;
    const [finding] = lint(policy).filter((candidate) => candidate.rule === 'NC-02');
    return finding;
  };
  const note = (path: string | undefined, rule = 'NC-02'): Json => ({ severity: 'warn', rule, ...(path === undefined ? {} : { path }), text: '原文使用“等”概括' });

  it.each(['dataItems[0].label', 'dataItems[0]', 'dataItems'])('explains a warning with a note of the same rule at %s (the path or an ancestor)', (path) => {
    expect(withOpenList([note(path)])?.explainedBy).toBe('原文使用“等”概括');
  });

  it.each(['data', 'dataItems[0].lab', 'dataItems[1]', 'controller'])('does not explain it with a note at %s (not an ancestor at a path boundary)', (path) => {
    expect(withOpenList([note(path)])).not.toHaveProperty('explainedBy');
  });

  it('does not explain it with a note for another rule, or a note with no path', () => {
    expect(withOpenList([note('dataItems', 'NC-01'), note(undefined)])).not.toHaveProperty('explainedBy');
  });

  it('takes the text of the first note that matches', () => {
    const finding = withOpenList([note('controller'), { ...note('dataItems'), text: 'first' }, { ...note('dataItems[0]'), text: 'second' }]);
    expect(finding?.explainedBy).toBe('first');
  });

  it('never explains an error or an info finding', () => {
    const policy = clean();
    policy.controller.contacts = [];
    policy.policy.sourceAcceptanceModel = 'login';
    policy.sourceNotes = [note('controller', 'NC-01'), note('policy', 'CH-02')];
    expect(lint(policy).map((finding) => finding.explainedBy)).toEqual([undefined, undefined]);
  });

  it('matches paths only at a boundary', () => {
    expect(coversPath('dataItems', 'dataItems[3].label')).toBe(true);
    expect(coversPath('dataItems[3]', 'dataItems[3].label')).toBe(true);
    expect(coversPath('controller', 'controller.contacts')).toBe(true);
    expect(coversPath('data', 'dataItems[3].label')).toBe(false);
    expect(coversPath('dataItems[1', 'dataItems[10].label')).toBe(false);
    expect(coversPath('dataItems[1]', 'dataItems[10].label')).toBe(false);
    expect(coversPath('', 'controller')).toBe(false);
  });

  it('counts errors, warnings, unexplained warnings and info', () => {
    const policy = clean();
    policy.controller.contacts = [];
    policy.dataItems[0].label = '姓名等';
    delete policy.policy.fullTextUrl;
    policy.policy.sourceAcceptanceModel = 'login';
    policy.sourceNotes = [note('dataItems')];
    expect(countFindings(lint(policy))).toEqual({ errors: 1, warnings: 2, unexplained: 1, info: 1 });
  });
});

describe('RT-02 per right', () => {
  it('RT-02: flags a right whose own response time is over 15 working days', () => {
    const policy = fixturePolicy();
    const rights = policy.rights.map((right, index) => (index === 0 ? { ...right, responseTime: { value: 20, unit: 'working_day' as const } } : right));
    const findings = lintPolicy({ ...policy, rights }).filter((finding) => finding.rule === 'RT-02');
    expect(findings).toEqual([expect.objectContaining({ severity: 'error', path: 'rights[0].responseTime' })]);
  });
});
