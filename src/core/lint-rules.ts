import type { Finding } from './policy-lint.js';
import type { DataItem, PolicyDocument } from './policy-types.js';

/** Records one finding; the rules below call it and never see each other's results. */
export type Report = (rule: string, severity: Finding['severity'], path: string, message: string) => void;
type Rule = (policy: PolicyDocument, report: Report) => void;

const quoted = (values: readonly string[]) => values.map((value) => JSON.stringify(value)).join(', ');
const isBlank = (value: string | null | undefined) => value == null || value.trim() === '';

/**
 * Marked sensitive under PIPL 28 or GB/T 35273. `sensitive: { gbt35273: false }` with no PIPL
 * category is the one way to say "looked at, not sensitive".
 */
export const isSensitive = (item: DataItem): boolean =>
  item.sensitive !== undefined && (item.sensitive.pipl28 !== undefined || item.sensitive.gbt35273 !== false);
const sensitiveIds = (policy: PolicyDocument) => new Set(policy.dataItems.filter(isSensitive).map((item) => item.id));

// Two-character words in which 等 means "equal", "grade" or "such", not "and so on".
const NOT_ETC_BEFORE = '平同相对均初中优劣头特超不何该此彼一二三甲乙丙';
const NOT_ETC_AFTER = '级待候于同价效额量距宽腰边差闲';
const OPEN_LIST = new RegExp(`(?<![${NOT_ETC_BEFORE}])等(?![${NOT_ETC_AFTER}])|包括但不(?:仅)?限于|例如|诸如|其他必要信息`);

/**
 * The first open-list marker in `text` (等, 包括但不限于, 例如, 诸如, 其他必要信息), or undefined.
 * 等 counts only as a list ending (姓名、手机号等信息 / …等。 / …等）), never inside 平等, 等级,
 * 等待 or 该等; a compound such as 核对等 is let through rather than risk a false alarm.
 */
export const openListMarker = (text: string): string | undefined => OPEN_LIST.exec(text)?.[0];

// NC-01, MP-02 — PIPL 17(1): the notice names the controller and how to reach it. An in-app-only
// contact is lost to someone who has uninstalled the app or closed the account.
const controllerContacts: Rule = ({ controller }, report) => {
  const reachable = new Set(['phone', 'email', 'mail', 'web']);
  if (controller.contacts.length === 0) {
    report('NC-01', 'error', 'controller.contacts', 'is empty: expected at least one phone, e-mail, mail or web contact (PIPL 17(1))');
  } else if (!controller.contacts.some((contact) => reachable.has(contact.channel))) {
    const channels = quoted([...new Set(controller.contacts.map((contact) => contact.channel))]);
    report('NC-01', 'warning', 'controller.contacts', `has only ${channels} contacts: expected a phone, e-mail, mail or web contact that works outside the app`);
  }
};

// NC-02 — PIPL 17(2) and METHOD 二.1/二.4: the kinds of information must be listed in full; an
// open list ("等", "例如") lets the app collect what the person never read.
const openLists: Rule = (policy, report) => {
  const check = (text: string | undefined, path: string) => {
    const marker = text === undefined ? undefined : openListMarker(text);
    if (marker !== undefined) {
      report('NC-02', 'warning', path, `is an open-ended list ("${marker}" in ${JSON.stringify(text)}): expected every item named (PIPL 17(2))`);
    }
  };
  policy.dataItems.forEach((item, i) => check(item.label, `dataItems[${i}].label`));
  policy.recipients.forEach((recipient, r) => check(recipient.itemsText, `recipients[${r}].itemsText`));
  policy.sdks.forEach((sdk, s) => sdk.collection?.forEach((row, c) => check(row.detail, `sdks[${s}].collection[${c}].detail`)));
};

// NC-04 — PIPL 30: before processing sensitive information the person is told why it is
// necessary and how it affects them. Required where they are asked to consent; on other legal
// bases the duty to inform still stands, so its absence is a warning.
const sensitiveNotices: Rule = (policy, report) => {
  const sensitive = sensitiveIds(policy);
  policy.purposes.forEach((purpose, p) => {
    const used = purpose.items.filter((id) => sensitive.has(id));
    if (purpose.sensitiveNotice !== undefined || used.length === 0) return;
    const consent = purpose.legalBasis === 'consent';
    report('NC-04', consent ? 'error' : 'warning', `purposes[${p}].sensitiveNotice`,
      `is missing: purpose "${purpose.id}" (legalBasis "${purpose.legalBasis}") uses sensitive item(s) ${quoted(used)}; expected { necessity, impact } (PIPL 30)`);
  });
};

// NC-05, PP-06 — PIPL 23 and TC260-SDK: the third-party list names each recipient and how to
// reach it; an SDK's rationale prompt must name who is asking and link their own rules.
const recipientsAndSdks: Rule = (policy, report) => {
  policy.recipients.forEach((recipient, r) => {
    if (isBlank(recipient.contact)) report('NC-05', 'warning', `recipients[${r}].contact`, `is missing: expected a contact for recipient "${recipient.id}" (PIPL 23)`);
  });
  policy.sdks.forEach((sdk, s) => {
    if (isBlank(sdk.provider)) report('NC-05', 'warning', `sdks[${s}].provider`, `is missing: expected the company that provides SDK "${sdk.id}"`);
    if (isBlank(sdk.privacyPolicyUrl)) report('NC-05', 'warning', `sdks[${s}].privacyPolicyUrl`, `is missing: expected the URL of SDK "${sdk.id}"'s own privacy rules`);
  });
  policy.permissions.forEach((permission, p) => {
    const { sdkId } = permission.requester;
    const sdk = permission.requester.type === 'sdk' ? policy.sdks.find((candidate) => candidate.id === sdkId) : undefined;
    if (sdk !== undefined && isBlank(sdk.provider)) {
      report('PP-06', 'warning', `permissions[${p}].requester.sdkId`, `names SDK "${sdk.id}", whose provider is unknown: expected sdks[].provider so the prompt can say who asks`);
    }
  });
};

// NC-08, NC-09, NC-10, FL-02 — what the notice header and contact block must show.
const noticeHeader: Rule = ({ controller, rights, policy }, report) => {
  // PIPL 52: above the CAC threshold a named person in charge of personal information is required.
  if (controller.dpoRequired === true && controller.dpo === undefined) {
    report('NC-08', 'warning', 'controller.dpo', 'is missing although controller.dpoRequired is true: expected the DPO\'s name or department (PIPL 52)');
  }
  // PIPL 50 and METHOD 六.5: a complaint channel the person can actually use.
  if (!rights.some((right) => right.right === 'complain' && right.channels.length > 0)) {
    report('NC-09', 'warning', 'rights', 'has no "complain" right with a channel: expected a complaint or report channel (PIPL 50)');
  }
  // GB/T 35273 附录D: the reader must see which version is in force and since when.
  if (policy.effectiveAt == null && policy.updatedAt == null) {
    report('NC-10', 'warning', 'policy.effectiveAt', 'is missing, and so is policy.updatedAt: expected the date the policy takes effect or was last updated');
  }
  // PIPL 17 and METHOD 一.1: the summary never replaces the full rules; they must be one tap away.
  if (policy.fullTextUrl === undefined) {
    report('FL-02', 'warning', 'policy.fullTextUrl', 'is missing: expected a link to the full policy text, reachable from the first-launch dialog');
  }
};

// RT-01, RT-03 — PIPL 44–50 and METHOD 六: each right needs a working channel, and closing an
// account must not hinge on getting through to a hotline.
const rightsChannels: Rule = ({ rights }, report) => {
  rights.forEach((right, r) => {
    if (right.channels.length === 0) report('RT-01', 'warning', `rights[${r}].channels`, `is empty: expected at least one channel for the "${right.right}" right`);
  });
  for (const wanted of ['access', 'correct', 'delete', 'withdraw_consent', 'close_account', 'complain'] as const) {
    if (!rights.some((right) => right.right === wanted)) report('RT-01', 'warning', 'rights', `has no "${wanted}" right: expected it with at least one channel (PIPL 44–50)`);
  }
  const closing = rights.map((right, r) => ({ right, r })).filter(({ right }) => right.right === 'close_account');
  const channels = closing.flatMap(({ right }) => right.channels);
  const first = closing[0];
  if (first !== undefined && channels.length > 0 && channels.every((channel) => channel.type === 'phone')) {
    report('RT-03', 'warning', `rights[${first.r}].channels`, 'offers account closing by phone only: expected an in-app, web or e-mail path as well (METHOD 六.1)');
  }
};

// RT-02 — METHOD 六: requests handled by people are answered within 15 working days. Calendar
// days are not the statute's unit, so a longer calendar period is only a warning.
const responseTime: Rule = ({ controller, rights }, report) => {
  const check = (time: typeof controller.responseTime, path: string) => {
    if (time === undefined) return;
    if (time.unit === 'working_day' && time.value > 15) {
      report('RT-02', 'error', path, `is ${time.value} working days: expected at most 15 working days (METHOD 六)`);
    } else if (time.unit !== 'working_day' && (time.unit === 'day' ? time.value : time.value / 24) > 15) {
      report('RT-02', 'warning', path, `is ${time.value} ${time.unit === 'day' ? 'calendar days' : 'hours'}: expected at most 15 working days, stated in working days`);
    }
  };
  check(controller.responseTime, 'controller.responseTime');
  rights.forEach((right, r) => check(right.responseTime, `rights[${r}].responseTime`));
};

// FL-05, CG-01 — GB/T 35273 5.3 and METHOD 三.4: nothing optional is switched on for the person.
const defaultsOff: Rule = (policy, report) => {
  policy.purposes.forEach((purpose, p) => {
    if (purpose.consentMode === 'optional_toggle' && purpose.default === true) {
      report('FL-05', 'error', `purposes[${p}].default`, `is true for optional purpose "${purpose.id}": expected false (optional purposes start off)`);
    }
  });
  policy.exposureSettings?.forEach((setting, e) => {
    if (setting.sdkDefault) report('CG-01', 'error', `exposureSettings[${e}].sdkDefault`, `is true for "${setting.id}": expected false (no default-on setting)`);
  });
};

// PP-02, PP-08 — TC260-PERM and METHOD 二.3: the rationale states the real purpose without
// inducements, and says what refusing costs so the choice is informed.
const permissionTexts: Rule = (policy, report) => {
  const advertising = /免费|优惠|福利|红包|抽奖|领取|赢/;
  policy.permissions.forEach((permission, p) => {
    const ad = advertising.exec(permission.purposeText);
    if (ad) report('PP-02', 'warning', `permissions[${p}].purposeText`, `contains advertising wording "${ad[0]}": expected the plain purpose of the permission`);
    if (permission.refusalImpact.level === 'unstated') {
      report('PP-08', 'warning', `permissions[${p}].refusalImpact.level`, `is "unstated" for permission "${permission.id}": expected what refusing it changes`);
    }
  });
};

// SC-01, SC-02, SC-04 — PIPL 29, 23 and 39: sensitive data, provision to an independent
// controller on consent, and transfers abroad each need their own consent; the general 同意
// never stands in for it.
const separateConsents: Rule = (policy, report) => {
  const sensitive = sensitiveIds(policy);
  const consents = policy.separateConsents;
  policy.purposes.forEach((purpose, p) => {
    if (purpose.legalBasis !== 'consent') return;
    const byPurpose = consents.some((consent) => consent.purposeId === purpose.id);
    purpose.items.forEach((itemId, i) => {
      if (!sensitive.has(itemId) || byPurpose || consents.some((consent) => consent.items?.includes(itemId))) return;
      report('SC-01', 'error', `purposes[${p}].items[${i}]`,
        `is sensitive item "${itemId}", used on consent by purpose "${purpose.id}": expected a separateConsents entry with purposeId "${purpose.id}" or listing "${itemId}" (PIPL 29)`);
    });
  });
  policy.recipients.forEach((recipient, r) => {
    const own = consents.filter((consent) => consent.recipientId === recipient.id);
    if (recipient.role === 'independent_controller' && recipient.legalBasis === 'consent' && own.length === 0) {
      report('SC-02', 'error', `recipients[${r}]`, `is independent controller "${recipient.id}" receiving data on consent: expected a separateConsents entry with recipientId "${recipient.id}" (PIPL 23)`);
    }
    if (recipient.crossBorder != null && !own.some((consent) => consent.trigger === 'cross_border')) {
      report('SC-04', 'error', `recipients[${r}].crossBorder`, `is set for "${recipient.id}": expected a separateConsents entry with trigger "cross_border" and recipientId "${recipient.id}" (PIPL 39)`);
    }
  });
};

// MN-01 — PIPL 31 and CHILD 9: the policy must say who may use the app and when a guardian decides.
const minors: Rule = ({ minors: rules }, report) => {
  if (rules.minimumUserAge === null && rules.guardianConsentBelow === null) {
    report('MN-01', 'warning', 'minors', 'states neither minimumUserAge nor guardianConsentBelow: expected at least one age (PIPL 31)');
  }
};

// CH-02 — PIPL 14: consent is a clear act. The source's model is kept only for audit.
const acceptanceModel: Rule = ({ policy }, report) => {
  const model = policy.sourceAcceptanceModel;
  if (model === 'continued_use' || model === 'login' || model === 'stop_using_if_disagree') {
    report('CH-02', 'info', 'policy.sourceAcceptanceModel', `is "${model}": kept for audit; inapp-consent records agreement only from a tap`);
  }
};

/** Every row of docs/lint-rules.md, grouped by what they read. */
export const RULES: readonly Rule[] = [
  controllerContacts, openLists, sensitiveNotices, recipientsAndSdks, noticeHeader, rightsChannels,
  responseTime, defaultsOff, permissionTexts, separateConsents, minors, acceptanceModel,
];
