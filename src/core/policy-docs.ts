/**
 * The descriptions of the policy document's fields, by JSON path (`[]` is any array element),
 * for the published JSON Schema (scripts/write-schema.ts) only. Kept out of POLICY_SHAPE so the
 * runtime validator, which every script-tag page downloads, does not carry ~2 kB of prose it
 * never prints. `toJsonSchema` fails on a path here that names no field.
 */
const AFFECTS = 'The features that stop or degrade; every other feature keeps working (PIPL 16).';
const METRIC = 'A quantified degradation, e.g. 设备指纹强度 -60%.';
const CHANNEL_VALUE = 'Phone number, address, menu path or URL, as the seed states it.';
const CHANNEL_ROUTE = 'Route inside the app or the SDK, for in_app channels.';

export const POLICY_DOCS: Readonly<Record<string, string>> = {
  '': 'An inapp-consent policy document.',
  'policy.id': 'Stable id of this policy across versions; receipts and stored decisions key on it.',
  'policy.version': 'The version the controller gives; a date when the seed has no number.',
  'policy.summary': 'The short summary shown in the first-launch dialog.',
  'policy.changeSummary': 'What changed in this version, shown in the policy-change dialog (CH-01).',
  'policy.sourceAcceptanceModel': 'How the source text claims acceptance happens. Audit only: inapp-consent always requires a tap (CH-02).',
  'controller.dpo.contactRefs': 'Indexes into controller.contacts.',
  'controller.dpoRequired': 'The controller meets the PIPL 52 threshold for a named DPO.',
  'dataItems[].highRiskIdentifier': 'IMEI, MAC, Android ID, IDFA, installed-app list: watched by regulators, not listed as sensitive.',
  'dataItems[].aboutOthers': 'Personal information of people other than the user (payees, contacts).',
  'features[].refusalImpact.affects': AFFECTS,
  'features[].refusalImpact.metric': METRIC,
  'purposes[].default': 'Must be false when present: optional purposes start off (FL-05, CG-01).',
  'purposes[].itemsText': 'The categories in the source\'s own words, when it does not itemise them.',
  'purposes[].refusalImpact.affects': AFFECTS,
  'purposes[].refusalImpact.metric': METRIC,
  'purposes[].withdrawChannels[].value': CHANNEL_VALUE,
  'purposes[].withdrawChannels[].route': CHANNEL_ROUTE,
  'purposes[].isPersonalization': 'Personalised recommendation or push: gets the PIPL 24 off switch.',
  'separateConsents[].necessity': 'Why this processing is needed (PIPL 30).',
  'separateConsents[].impact': 'The effect on the person (PIPL 30).',
  'separateConsents[].rightsAgainstRecipient': 'How to exercise rights against a foreign recipient (PIPL 39).',
  'permissions[].label': 'The permission as users know it, e.g. 位置信息.',
  'permissions[].features': 'The features that ask for it; asked only when one of them starts (PP-01, PP-08).',
  'permissions[].refusalImpact.affects': AFFECTS,
  'permissions[].refusalImpact.metric': METRIC,
  'recipients[].itemsText': 'The categories in the seed\'s own words, when they are not itemised.',
  'rights[].channels[].value': CHANNEL_VALUE,
  'rights[].channels[].route': CHANNEL_ROUTE,
  'dataSources': 'Indirect collection (PIPL 17: source and categories).',
  'dataSources[].source': 'Where the data comes from when not from the person (affiliates, partners, public sources).',
  'sharingRules.exceptions': 'Cases where the source says data is shared, transferred or disclosed without consent.',
  'sharingRules.transfer': 'Rules for transfer, e.g. on a merger (PIPL 22).',
  'notCollected': 'Data the source says it never collects or stores.',
  'security.breachNotice': 'How people are told of an incident (PIPL 57).',
  'minors.childAgeBelow': 'Statutory (PIPL 28, 31): under 14 is a child.',
  'exposureSettings[].sourceDefault': 'The default the source policy states (audit only).',
  'exposureSettings[].sdkDefault': 'The default inapp-consent applies; must be false (CG-01).',
  'sourceNotes': 'Defects of the source text, recorded instead of silently fixed (§B.8 item 17).',
  'sourceNotes[].rule': 'The lint rule id this note explains, e.g. NC-02.',
  'sourceNotes[].path': 'The JSON path the note is about; a lint finding there with the same rule is explained by it.',
};
