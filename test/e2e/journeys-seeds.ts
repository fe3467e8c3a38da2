/**
 * What each seed app's journey does, in the ids its policy (examples/policies/SLUG.json)
 * declares and the tiles its demo app (examples/apps/SLUG/) shows. The journeys read this
 * plan; the receipts expected at the receiver follow from it (see `expectedKinds`).
 */

/** What the widget asks after a feature tile is tapped, in order, before the feature opens. */
export type Ask =
  /** A separate-consent dialog (单独同意, SC-01 … SC-04), answered 同意. */
  | { readonly separate: string }
  /** A permission: the rationale prompt (PP-02), 继续, and the "OS" grants. */
  | { readonly permission: string }
  /**
   * A permission the OS already granted under another declared id of the same kind (one
   * camera, two purposes): no prompt, no second OS dialog; the SDK records the OS state.
   */
  | { readonly permission: string; readonly already: 'granted' }
  /** A kind the native host has no runtime permission for (E_UNKNOWN_PERMISSION): no prompt, nothing recorded. */
  | { readonly permission: string; readonly already: 'unavailable' };

export interface FeatureStep {
  /** The feature id; the demo app's tile carries it as `data-feature`. */
  readonly feature: string;
  readonly asks: readonly Ask[];
}

export interface SeedPlan {
  readonly slug: string;
  readonly name: string;
  /**
   * An optional purpose switched on in the privacy center, with the separate consents it rests
   * on (SC-01). Every seed declares at least one optional purpose, so no journey skips this step
   * (`planProblems` fails if the chosen one disappears from the policy).
   */
  readonly optional: { readonly purpose: string; readonly separates: readonly string[] };
  readonly features: readonly FeatureStep[];
  /** Purposes and separate consents withdrawn in the privacy center at the end (WD-01). */
  readonly withdraw: readonly string[];
  /** A feature that rests on none of the withdrawn items: it still opens, asking nothing (CG-02, WD-03). */
  readonly stillWorks: string;
  /** A basic-bundle purpose, granted by 同意, whose content the policy-change test alters (CH-01). */
  readonly changed: string;
}

export const PLANS: readonly SeedPlan[] = [
  {
    slug: 'lakala-pay',
    name: '拉卡拉支付',
    optional: { purpose: 'personalized_push', separates: [] },
    features: [
      // 收款: GPS and Bluetooth (the card reader); 商户开通: the face check's separate consent, then the camera.
      { feature: 'card_acceptance', asks: [{ permission: 'location' }, { permission: 'bluetooth' }] },
      { feature: 'merchant_onboarding', asks: [{ separate: 'face_liveness_consent' }, { permission: 'camera' }] },
    ],
    withdraw: ['personalized_push', 'face_liveness_consent'],
    stillWorks: 'card_acceptance',
    changed: 'transaction_query',
  },
  {
    slug: 'lianlian-pay',
    name: '连连支付',
    optional: { purpose: 'marketing', separates: [] },
    features: [
      // 快捷支付: the identity-proof materials need their own consent (sensitive data), then location.
      { feature: 'quick_pay', asks: [{ separate: 'quick_pay_identity_proof_consent' }, { permission: 'location' }] },
      // 跨境汇款: provision to the overseas partner bank (cross-border, PIPL 39).
      { feature: 'fx_remittance', asks: [{ separate: 'fx_remittance_cross_border' }] },
    ],
    withdraw: ['marketing', 'fx_remittance_cross_border'],
    stillWorks: 'quick_pay',
    changed: 'customer_service',
  },
  {
    slug: 'kltong',
    name: '开联通',
    optional: { purpose: 'customer_survey', separates: [] },
    features: [
      // 刷脸验证: biometric data needs its separate consent; the "biometric" permission is kind
      // `other`, which the host has no runtime permission for: unavailable, never prompted.
      { feature: 'biometric_verification', asks: [{ separate: 'biometric_info_consent' }, { permission: 'biometric', already: 'unavailable' }] },
      // 跨境业务: the transfer abroad rests on its separate consent (PIPL 39).
      { feature: 'cross_border_products', asks: [{ separate: 'cross_border_transfer' }] },
    ],
    withdraw: ['customer_survey', 'cross_border_transfer'],
    stillWorks: 'biometric_verification',
    changed: 'transfer_execution',
  },
  {
    slug: 'e-yueche',
    name: 'e约车',
    // 为你推荐 uses location, browsing and order data: the purpose rests on a separate consent.
    optional: { purpose: 'personalized_recommendation', separates: ['personalization_sensitive_items'] },
    features: [
      { feature: 'vehicle_use', asks: [{ permission: 'location' }] },
      { feature: 'document_verification', asks: [{ permission: 'camera_capture' }] },
      // 扫码绑卡 declares its own camera use, but the OS camera was granted for 证件拍照: no second ask.
      { feature: 'recharge_card_binding', asks: [{ permission: 'camera_scan', already: 'granted' }] },
      { feature: 'proxy_booking', asks: [{ permission: 'contacts' }] },
    ],
    withdraw: ['personalized_recommendation', 'personalization_sensitive_items'],
    stillWorks: 'vehicle_use',
    changed: 'mall_vouchers',
  },
  {
    slug: 'leliao-card',
    name: '乐聊名片',
    // 附近的人: location-based services are optional and rest on the location separate consent.
    optional: { purpose: 'location_based_services', separates: ['location_separate_consent'] },
    features: [
      { feature: 'location_services', asks: [{ permission: 'location' }] },
      // 实名认证: the face image is sensitive: its separate consent, then the camera.
      { feature: 'real_name_verification', asks: [{ separate: 'face_separate_consent' }, { permission: 'camera' }] },
    ],
    withdraw: ['location_based_services', 'face_separate_consent'],
    // Both features above rest on what was withdrawn; 我的名片 (the account) rests on neither.
    stillWorks: 'account_registration',
    changed: 'gov_services',
  },
];

/** The decision kinds, in order, that the journey's receipts must carry (one receipt per decision). */
export function expectedKinds(plan: SeedPlan, separateIds: ReadonlySet<string>): string[] {
  const kinds = ['agree', ...plan.optional.separates.map(() => 'separate_consent'), 'purpose'];
  for (const step of plan.features) {
    for (const ask of step.asks) {
      if ('separate' in ask) kinds.push('separate_consent');
      else if (!('already' in ask) || ask.already === 'granted') kinds.push('permission');
    }
  }
  for (const id of plan.withdraw) kinds.push(separateIds.has(id) ? 'separate_consent' : 'purpose');
  return kinds;
}

/**
 * Ids in the plan that the policy does not declare, or features the demo app has no tile for:
 * a renamed id then fails with its name instead of a locator timeout.
 */
export function planProblems(plan: SeedPlan, policy: { purposes: { id: string }[]; separateConsents: { id: string }[]; permissions: { id: string }[]; features: { id: string }[] }, appHtml: string): string[] {
  const has = (list: { id: string }[], id: string) => list.some((entry) => entry.id === id);
  const problems: string[] = [];
  const check = (ok: boolean, what: string) => ok || problems.push(what);
  check(has(policy.purposes, plan.optional.purpose), `purpose ${plan.optional.purpose}`);
  check(has(policy.purposes, plan.changed), `purpose ${plan.changed}`);
  check(has(policy.features, plan.stillWorks) && appHtml.includes(`data-feature="${plan.stillWorks}"`), `feature and tile ${plan.stillWorks}`);
  for (const id of [...plan.optional.separates]) check(has(policy.separateConsents, id), `separate consent ${id}`);
  for (const id of plan.withdraw) check(has(policy.purposes, id) || has(policy.separateConsents, id), `withdrawable ${id}`);
  for (const step of plan.features) {
    check(has(policy.features, step.feature), `feature ${step.feature}`);
    check(appHtml.includes(`data-feature="${step.feature}"`), `tile for ${step.feature} in examples/apps/${plan.slug}/index.html`);
    for (const ask of step.asks) {
      if ('separate' in ask) check(has(policy.separateConsents, ask.separate), `separate consent ${ask.separate}`);
      else check(has(policy.permissions, ask.permission), `permission ${ask.permission}`);
    }
  }
  return problems;
}
