import { array, boolean, nullable, number, object, oneOf, optional, record, string } from './shape.js';

/**
 * The policy document, described once. Drawn from the config shape in
 * reference/china-consent-rules-and-seeds.md §B.7 so that all five seed policies fit, and
 * keeping every feature listed in §B.8 that a "categories with toggles" model would lose.
 * Field names are English; everything a user reads is text in the policy's locale.
 */

const ID = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;
const id = (doc?: string) => string({ pattern: ID, patternName: 'an id (letters, digits, _ . -)', ...(doc ? { doc } : {}) });
const ids = (noun: string, doc?: string) => array(id(), { noun, ...(doc ? { doc } : {}) });
const text = (doc?: string) => string({ minLength: 1, ...(doc ? { doc } : {}) });
const texts = (doc?: string) => array(text(), doc ? { doc } : {});
const date = () => string({ pattern: /^\d{4}-\d{2}-\d{2}$/, patternName: 'a date as YYYY-MM-DD' });
const url = () => string({ pattern: /^https?:\/\/\S+$/, patternName: 'an http(s) URL' });
// A relative path is allowed for the full text, which apps usually ship beside the page.
const pageUrl = () => string({ pattern: /^(https?:\/\/\S+|[^\s:]+)$/, patternName: 'an http(s) URL or a relative path' });
const duration = () => string({ pattern: /^P(?=\d)(\d+Y)?(\d+M)?(\d+W)?(\d+D)?$/, patternName: 'an ISO 8601 duration such as P5Y or P1M' });

export const LEGAL_BASES = [
  'consent', 'contract', 'legal_obligation', 'public_health', 'news', 'public_info', 'other_law', 'state_duty',
] as const;
export const CONSENT_MODES = ['notice_only', 'basic_bundle', 'optional_toggle', 'separate', 'written', 'guardian'] as const;
export const PERMISSION_KINDS = [
  'location', 'camera', 'microphone', 'bluetooth', 'contacts', 'storage', 'photos', 'phone_state', 'wifi_state',
  'app_list', 'running_tasks', 'overlay', 'idfa_tracking', 'notifications', 'calendar', 'sms', 'call_log', 'sensors', 'other',
] as const;

const channel = object({
  type: oneOf(['in_app', 'in_app_path', 'phone', 'email', 'sms_reply', 'web', 'unsubscribe_link', 'system_settings', 'mail', 'customer_service', 'other']),
  value: optional(text('Phone number, address, menu path or URL, as the seed states it.')),
  route: optional(text('Route inside the app or the SDK, for in_app channels.')),
  note: optional(text()),
});

const refusalImpact = object({
  level: oneOf(['account_unavailable', 'feature_unavailable', 'degraded', 'none_for_other_features', 'unstated']),
  affects: optional(ids('feature id', 'The features that stop or degrade; every other feature keeps working (PIPL 16).')),
  text: optional(text()),
  metric: optional(object({ name: text(), delta: text() }, 'A quantified degradation, e.g. 设备指纹强度 -60%.')),
});

const responseTime = object({ value: number({ min: 0 }), unit: oneOf(['working_day', 'day', 'hour']), note: optional(text()) });

const crossBorder = object({
  country: optional(nullable(text())),
  mechanism: optional(nullable(text())),
});

export const POLICY_SHAPE = object({
  $schema: optional(string()),
  schemaVersion: oneOf(['1']),
  locale: string({ pattern: /^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/, patternName: 'a BCP 47 language tag such as zh-CN' }),
  policy: object({
    id: id('Stable id of this policy across versions; receipts and stored decisions key on it.'),
    title: text(),
    version: text('The version the controller gives; a date when the seed has no number.'),
    publishedAt: optional(nullable(date())),
    effectiveAt: optional(nullable(date())),
    updatedAt: optional(nullable(date())),
    fullTextUrl: optional(pageUrl()),
    summary: text('The short summary shown in the first-launch dialog.'),
    keyPoints: optional(texts()),
    changeSummary: optional(text('What changed in this version, shown in the policy-change dialog (CH-01).')),
    materialChangeTriggers: optional(texts()),
    updateNoticeChannels: optional(texts()),
    sourceAcceptanceModel: oneOf(['explicit_click', 'continued_use', 'login', 'stop_using_if_disagree', 'unspecified'],
      'How the source text claims acceptance happens. Audit only: inapp-consent always requires a tap (CH-02).'),
    consentExceptions: optional(texts()),
  }),
  controller: object({
    name: text(),
    type: oneOf(['enterprise', 'state_organ']),
    addresses: optional(array(object({ kind: oneOf(['registered', 'office', 'other']), text: text() }))),
    contacts: array(object({
      channel: oneOf(['phone', 'email', 'web', 'mail', 'in_app', 'wechat', 'customer_service', 'other']),
      value: text(),
      note: optional(text()),
    }), { noun: 'contact' }),
    dpo: optional(object({
      name: optional(text()),
      department: optional(text()),
      contactRefs: optional(array(number({ integer: true, min: 0 }), { doc: 'Indexes into controller.contacts.' })),
    })),
    dpoRequired: optional(boolean('The controller meets the PIPL 52 threshold for a named DPO.')),
    responseTime: optional(responseTime),
    affiliates: optional(texts()),
    complaintAuthorities: optional(texts()),
  }),
  dataItems: array(object({
    id: id(),
    label: text(),
    sensitive: optional(object({
      pipl28: optional(oneOf(['biometric', 'religion', 'specific_identity', 'medical_health', 'financial_account', 'whereabouts', 'minor_under_14', 'other'])),
      gbt35273: optional(boolean()),
    })),
    highRiskIdentifier: optional(boolean('IMEI, MAC, Android ID, IDFA, installed-app list: watched by regulators, not listed as sensitive.')),
    aboutOthers: optional(boolean('Personal information of people other than the user (payees, contacts).')),
    note: optional(text()),
  }), { noun: 'data item' }),
  features: array(object({
    id: id(),
    label: text(),
    necessity: oneOf(['basic', 'extended']),
    description: optional(text()),
    items: array(object({ id: id(), required: boolean() }), { noun: 'data item' }),
    permissions: optional(ids('permission id')),
    refusalImpact: refusalImpact,
  }), { minItems: 1, noun: 'feature' }),
  purposes: array(object({
    id: id(),
    label: text(),
    description: optional(text()),
    legalBasis: oneOf(LEGAL_BASES),
    lawRefs: optional(texts()),
    consentMode: oneOf(CONSENT_MODES),
    default: optional(boolean('Must be false when present: optional purposes start off (FL-05, CG-01).')),
    features: optional(ids('feature id')),
    items: ids('data item id'),
    itemsText: optional(text('The categories in the source\'s own words, when it does not itemise them.')),
    permissions: optional(ids('permission id')),
    recipients: optional(ids('recipient id')),
    method: optional(text()),
    retentionRuleIds: optional(ids('retention rule id')),
    sensitiveNotice: optional(object({ necessity: text(), impact: text() })),
    refusalImpact: optional(refusalImpact),
    withdrawChannels: optional(array(channel)),
    isPersonalization: optional(boolean('Personalised recommendation or push: gets the PIPL 24 off switch.')),
  }), { minItems: 1, noun: 'purpose' }),
  separateConsents: array(object({
    id: id(),
    trigger: oneOf(['sensitive_item', 'third_party_provision', 'public_disclosure', 'cross_border', 'minor_under_14']),
    title: text(),
    items: optional(ids('data item id')),
    purposeId: optional(id()),
    recipientId: optional(id()),
    featureIds: optional(ids('feature id')),
    necessity: text('Why this processing is needed (PIPL 30).'),
    impact: text('The effect on the person (PIPL 30).'),
    rightsAgainstRecipient: optional(text('How to exercise rights against a foreign recipient (PIPL 39).')),
    description: optional(text()),
  })),
  permissions: array(object({
    id: id(),
    kind: oneOf(PERMISSION_KINDS),
    label: text('The permission as users know it, e.g. 位置信息.'),
    nativeIds: optional(object({ android: optional(texts()), ios: optional(texts()), wechat: optional(texts()) })),
    requester: object({ type: oneOf(['host', 'sdk']), sdkId: optional(id()) }),
    features: array(id(), { minItems: 1, noun: 'feature id', doc: 'The features that ask for it; asked only when one of them starts (PP-01, PP-08).' }),
    purposeText: text(),
    refusalImpact: refusalImpact,
    optional: optional(boolean()),
    platforms: optional(array(oneOf(['android', 'ios', 'web', 'wechat']))),
    askPolicy: object({
      when: oneOf(['on_feature_use']),
      cooldownHours: number({ min: 0 }),
      allowUserInitiatedBypass: boolean(),
    }),
  })),
  recipients: array(object({
    id: id(),
    name: text(),
    contact: optional(nullable(text())),
    role: oneOf(['independent_controller', 'entrusted_processor', 'affiliate', 'sdk_provider', 'counterparty', 'regulator', 'other_users']),
    legalBasis: oneOf(LEGAL_BASES),
    items: optional(ids('data item id')),
    itemsText: optional(text('The categories in the seed\'s own words, when they are not itemised.')),
    purpose: optional(text()),
    method: optional(text()),
    scene: optional(text()),
    crossBorder: optional(nullable(crossBorder)),
    note: optional(text()),
  })),
  sdks: array(object({
    id: id(),
    name: text(),
    provider: optional(nullable(text())),
    contact: optional(nullable(text())),
    privacyPolicyUrl: optional(nullable(url())),
    purpose: text(),
    items: optional(ids('data item id')),
    capability: optional(text()),
    collection: optional(array(object({
      platform: oneOf(['android', 'ios', 'all']),
      category: text(),
      detail: optional(text()),
      dependsOn: optional(nullable(text())),
      availability: optional(text()),
      purpose: optional(text()),
      impactIfNot: optional(text()),
    }))),
  })),
  retentionRules: array(object({
    id: id(),
    appliesTo: object({ scope: optional(oneOf(['all'])), items: optional(ids('data item id')) }),
    anchor: oneOf(['collected', 'account_closed', 'service_end', 'year_of_booking', 'year_of_agreement_end', 'purpose_achieved', 'during_service', 'per_law', 'on_request']),
    min: optional(duration()),
    max: optional(duration()),
    basis: oneOf(['law', 'policy']),
    text: text(),
  })),
  storage: object({
    location: text(),
    onServiceTermination: optional(object({ noticeDays: optional(number({ integer: true, min: 0 })), action: optional(text()) })),
  }),
  rights: array(object({
    right: oneOf(['access', 'copy', 'correct', 'delete', 'withdraw_consent', 'close_account', 'explain', 'complain', 'portability', 'object_automated_decision', 'obtain_copy']),
    channels: array(channel, { noun: 'channel' }),
    grounds: optional(texts()),
    preconditions: optional(texts()),
    secondaryActions: optional(texts()),
    responseTime: optional(responseTime),
    note: optional(text()),
  })),
  refusalGrounds: optional(texts()),
  dataSources: optional(array(object({
    source: text('Where the data comes from when not from the person (affiliates, partners, public sources).'),
    items: optional(ids('data item id')),
    itemsText: optional(text()),
    purpose: optional(text()),
  }), { doc: 'Indirect collection (PIPL 17: source and categories).' })),
  sharingRules: optional(object({
    exceptions: optional(texts('Cases where the source says data is shared, transferred or disclosed without consent.')),
    transfer: optional(texts('Rules for transfer, e.g. on a merger (PIPL 22).')),
    publicDisclosure: optional(texts()),
  })),
  notCollected: optional(texts('Data the source says it never collects or stores.')),
  security: optional(object({
    measures: optional(texts()),
    certifications: optional(texts()),
    breachNotice: optional(texts('How people are told of an incident (PIPL 57).')),
    liability: optional(text()),
  })),
  relatedDocuments: optional(array(object({ title: text(), url: optional(url()) }))),
  minors: object({
    childAgeBelow: oneOf([14], 'Statutory (PIPL 28, 31): under 14 is a child.'),
    minimumUserAge: nullable(number({ integer: true, min: 0 })),
    guardianConsentBelow: nullable(number({ integer: true, min: 0 })),
    ageGate: boolean(),
    childrenRulesUrl: optional(nullable(url())),
    text: optional(text()),
  }),
  trackingTech: optional(array(object({
    kind: oneOf(['cookie', 'local_storage', 'sdk_storage', 'other']),
    items: optional(ids('data item id')),
    purpose: text(),
    refusal: optional(text()),
  }))),
  exposureSettings: optional(array(object({
    id: id(),
    label: text(),
    sourceDefault: boolean('The default the source policy states (audit only).'),
    sdkDefault: boolean('The default inapp-consent applies; must be false (CG-01).'),
  }))),
  ui: optional(object({
    firstLaunch: optional(object({ showPurposes: optional(ids('purpose id')), onBasicDecline: optional(oneOf(['limited', 'confirmThenExit'])) })),
  })),
  sourceNotes: optional(array(object({
    severity: oneOf(['info', 'warn']),
    rule: optional(string({ doc: 'The lint rule id this note explains, e.g. NC-02.' })),
    path: optional(string({ doc: 'The JSON path the note is about; a lint finding there with the same rule is explained by it.' })),
    text: text(),
  }), { doc: 'Defects of the source text, recorded instead of silently fixed (§B.8 item 17).' })),
}, 'An inapp-consent policy document.');
