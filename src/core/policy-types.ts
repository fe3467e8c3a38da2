import type { Infer } from './shape.js';
import type { POLICY_SHAPE } from './policy-shape.js';

/** A policy document as validated by `validatePolicy` (see policy-shape.ts for every field). */
export type PolicyDocument = Infer<typeof POLICY_SHAPE>;
export type Purpose = PolicyDocument['purposes'][number];
export type SeparateConsent = PolicyDocument['separateConsents'][number];
export type Permission = PolicyDocument['permissions'][number];
export type Feature = PolicyDocument['features'][number];
export type DataItem = PolicyDocument['dataItems'][number];
export type Recipient = PolicyDocument['recipients'][number];
export type LegalBasis = Purpose['legalBasis'];
export type ConsentMode = Purpose['consentMode'];
export type PermissionKind = Permission['kind'];
