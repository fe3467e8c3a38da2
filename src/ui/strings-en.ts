import { ZH, type Strings } from './strings-zh.js';

/**
 * The widget's own strings in English (see strings.ts), in the order of ZH's keys, each line
 * ending with its key. size: the keys are written once, in ZH, not twice (~190 B gzip in the
 * script tag); test/ui/strings.test.ts fails when a line's key is not ZH's key at that place.
 */
const VALUES = [
  'Agree', // agree
  'Disagree', // disagree
  'Close', // close
  'OK', // ok
  'Exit', // exit
  'Sensitive', // sensitive
  'Your personal information', // flTitle
  'Agree covers only what the basic functions need. Optional functions, sensitive information and device permissions are asked separately when you use them.', // flNote
  'What the basic functions process', // flPurposes
  'Read the policy summary', // readSummary
  'Read the full “{0}”', // readFull
  'You did not agree', // declineTitle
  'You can still browse content that needs no personal information; functions that need it are unavailable. You can choose again at any time in Privacy settings.', // declineBody
  'Privacy policy summary', // summaryTitle
  'Version', // version
  'Updated', // updated
  'Effective', // effective
  'Published', // published
  'Who handles your information', // controller
  'Contact', // contacts
  'Data protection officer', // dpo
  'Key points', // keyPoints
  'Functions and the information they collect', // features
  'Purposes and methods', // purposes
  'Information', // items
  'Method', // method
  'Retention', // retention
  'Stored in', // storage
  'Legal basis', // basis
  'Why it is needed', // necessity
  'Effect on you', // impact
  'If you refuse', // refusal
  'Device permissions', // permissions
  'Function', // feature
  'Purpose', // purpose
  'Requested by', // requester
  'Asked only when you use the function; you can turn it off in system settings.', // askOnUse
  'Third parties we share with', // thirdParties
  'Third-party SDKs', // sdks
  'Recipient', // recipient
  'Provider', // provider
  'When', // scene
  'Country or region', // country
  'Exercising your rights against the recipient', // rightsAgainst
  'Your rights', // rights
  'Complaints', // complaint
  'We reply within {0}', // reply
  'Minors', // minors
  'Children’s personal information rules', // childrenRules
  'Privacy settings', // centerTitle
  'Review the policy and switch each permission on or off; switching off takes effect at once.', // centerLead
  'You have not agreed to the privacy policy; only some content is available.', // limited
  'Review and agree to the policy', // reviewAgree
  'Consents', // consents
  'Separate consents', // separate
  'Required by law; no consent needed', // byLaw
  'Personal information collected', // collected
  'Privacy policy', // policy
  'Access to {0}', // permTitle
  'Continue', // permContinue
  'Not now', // permNotNow
  'Open settings', // permSettings
  'The privacy policy has changed', // changeTitle
  'These parts changed and need your confirmation:', // changeLead
  'Optional, off unless you switch it on', // changeOptional
  'Nothing in this update needs your consent again; your earlier choices stay as they were.', // noticeLead
  'Your age', // ageTitle
  'Are you {0} or older?', // ageQuestion
  '{0} or older', // ageAdult
  'Under {0}', // ageChild
  'For your parent or guardian', // guardianTitle
  'You are under {0}. Please read this with your parent or guardian, who makes the choice.', // guardianLead
  'Guardian agrees', // guardianAgree
  'How it is protected', // securityMeasures
  'Your consent', // basis.consent
  'Needed for a contract with you', // basis.contract
  'Legal obligation', // basis.legal_obligation
  'Public health emergency', // basis.public_health
  'News reporting', // basis.news
  'Information already public', // basis.public_info
  'Other legal grounds', // basis.other_law
  'Statutory duty', // basis.state_duty
  'Access', // right.access
  'Copy', // right.copy
  'Correct', // right.correct
  'Delete', // right.delete
  'Withdraw consent', // right.withdraw_consent
  'Close your account', // right.close_account
  'Ask for an explanation', // right.explain
  'Complain', // right.complain
  'Transfer', // right.portability
  'Refuse automated decisions', // right.object_automated_decision
  'Obtain a copy', // right.obtain_copy
  'Sensitive personal information', // trigger.sensitive_item
  'Sharing with a third party', // trigger.third_party_provision
  'Making your information public', // trigger.public_disclosure
  'Transfer outside mainland China', // trigger.cross_border
  'Information of a child under 14', // trigger.minor_under_14
  'Not requested', // status.none
  'Allowed', // status.granted
  'Partly allowed', // status.limited
  'Denied', // status.denied
  'Blocked; can be turned on in system settings', // status.blocked
  'Unavailable', // status.unavailable
  '{0} working days', // unit.working_day
  '{0} days', // unit.day
  '{0} hours', // unit.hour
];

export const EN = Object.fromEntries(Object.keys(ZH).map((key, index) => [key, VALUES[index]])) as Strings;
