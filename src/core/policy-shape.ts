import { array, boolean, nullable, number, object, oneOf, optional, record, string } from './shape.js';

/**
 * The policy document, described once. Drawn from the config shape in
 * reference/china-consent-rules-and-seeds.md §B.7 so that all five seed policies fit, and
 * keeping every feature listed in §B.8 that a "categories with toggles" model would lose.
 * Field names are English; everything a user reads is text in the policy's locale.
 */

const ID = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;
// Field descriptions are in policy-docs.ts, by path: this shape ships in the runtime validator.
const id = () => string({ pattern: ID, patternName: 'an id (letters, digits, _ . -)' });
const ids = (noun: string) => array(id(), { noun });
const text = () => string({ minLength: 1 });
const texts = () => array(text());
const date = () => string({ pattern: /^\d{4}-\d{2}-\d{2}$/, patternName: 'a date as YYYY-MM-DD' });
const url = () => string({ pattern: /^https?:\/\/\S+$/, patternName: 'an http(s) URL' });
// A relative path is allowed for the full text, which apps usually ship beside the page.
// Not protocol-relative ("//host/…", or "/\host", which browsers read alike): that is another site.
const pageUrl = () => string({ pattern: /^(https?:\/\/\S+|[\\/]?[^\s:\\/][^\s:]*)$/, patternName: 'an http(s) URL or a relative path (not protocol-relative //host)' });
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
  value: optional(text()),
  route: optional(text()),
  note: optional(text()),
});

const refusalImpact = object({
  level: oneOf(['account_unavailable', 'feature_unavailable', 'degraded', 'none_for_other_features', 'unstated']),
  affects: optional(ids('feature id')),
  text: optional(text()),
  metric: optional(object({ name: text(), delta: text() })),
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
    id: id(),
    title: text(),
    version: text(),
    publishedAt: optional(nullable(date())),
    effectiveAt: optional(nullable(date())),
    updatedAt: optional(nullable(date())),
    fullTextUrl: optional(pageUrl()),
    summary: text(),
    keyPoints: optional(texts()),
    changeSummary: optional(text()),
    materialChangeTriggers: optional(texts()),
    updateNoticeChannels: optional(texts()),
    sourceAcceptanceModel: oneOf(['explicit_click', 'continued_use', 'login', 'stop_using_if_disagree', 'unspecified']),
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
      contactRefs: optional(array(number({ integer: true, min: 0 }))),
    })),
    dpoRequired: optional(boolean()),
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
    highRiskIdentifier: optional(boolean()),
    aboutOthers: optional(boolean()),
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
    default: optional(boolean()),
    features: optional(ids('feature id')),
    items: ids('data item id'),
    itemsText: optional(text()),
    permissions: optional(ids('permission id')),
    recipients: optional(ids('recipient id')),
    method: optional(text()),
    retentionRuleIds: optional(ids('retention rule id')),
    sensitiveNotice: optional(object({ necessity: text(), impact: text() })),
    refusalImpact: optional(refusalImpact),
    withdrawChannels: optional(array(channel)),
    isPersonalization: optional(boolean()),
  }), { minItems: 1, noun: 'purpose' }),
  separateConsents: array(object({
    id: id(),
    trigger: oneOf(['sensitive_item', 'third_party_provision', 'public_disclosure', 'cross_border', 'minor_under_14']),
    title: text(),
    items: optional(ids('data item id')),
    purposeId: optional(id()),
    recipientId: optional(id()),
    featureIds: optional(ids('feature id')),
    necessity: text(),
    impact: text(),
    rightsAgainstRecipient: optional(text()),
    description: optional(text()),
  })),
  permissions: array(object({
    id: id(),
    kind: oneOf(PERMISSION_KINDS),
    label: text(),
    nativeIds: optional(object({ android: optional(texts()), ios: optional(texts()), wechat: optional(texts()) })),
    requester: object({ type: oneOf(['host', 'sdk']), sdkId: optional(id()) }),
    features: array(id(), { minItems: 1, noun: 'feature id' }),
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
    itemsText: optional(text()),
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
    source: text(),
    items: optional(ids('data item id')),
    itemsText: optional(text()),
    purpose: optional(text()),
  }))),
  sharingRules: optional(object({
    exceptions: optional(texts()),
    transfer: optional(texts()),
    publicDisclosure: optional(texts()),
  })),
  notCollected: optional(texts()),
  security: optional(object({
    measures: optional(texts()),
    certifications: optional(texts()),
    breachNotice: optional(texts()),
    liability: optional(text()),
  })),
  relatedDocuments: optional(array(object({ title: text(), url: optional(url()) }))),
  minors: object({
    childAgeBelow: oneOf([14]),
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
    sourceDefault: boolean(),
    sdkDefault: boolean(),
  }))),
  ui: optional(object({
    firstLaunch: optional(object({ showPurposes: optional(ids('purpose id')), onBasicDecline: optional(oneOf(['limited', 'confirmThenExit'])) })),
  })),
  sourceNotes: optional(array(object({
    severity: oneOf(['info', 'warn']),
    rule: optional(string()),
    path: optional(string()),
    text: text(),
  }))),
});
