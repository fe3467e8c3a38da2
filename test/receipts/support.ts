import { EMPTY_DECISIONS, type ConsentAction, type ConsentState, type DecisionEvent, type Decisions } from '../../src/core/decision-types.js';
import { reduce } from '../../src/core/decisions.js';
import { preparePolicy } from '../../src/core/policy-prepare.js';
import type { ReceiptInput } from '../../src/core/receipt.js';
import { jwkThumbprint } from '../../src/core/receipt-jws.js';
import type { PublicJwk, ReceiptSigner } from '../../src/core/receipt-types.js';
import TEST_KEY from '../fixtures/receipts/test-key.json';
import { fixturePolicy } from '../fixtures/policy.js';

export const T0 = Date.UTC(2026, 10, 22, 12, 0, 0);
export const TEST_JWK: PublicJwk = { kty: 'EC', crv: 'P-256', x: TEST_KEY.jwk.x, y: TEST_KEY.jwk.y };

/** The test-only key (test/fixtures/receipts/test-key.json) as a device signer. */
export async function testSigner(kind: ReceiptSigner['kind'] = 'device'): Promise<ReceiptSigner> {
  const privateKey = await crypto.subtle.importKey('jwk', TEST_KEY.jwk, { name: 'ECDSA', namedCurve: 'P-256' }, false, ['sign']);
  return {
    kind,
    jwk: TEST_JWK,
    sign: async (data) => new Uint8Array(await crypto.subtle.sign({ name: 'ECDSA', hash: 'SHA-256' }, privateKey, data as Uint8Array<ArrayBuffer>)),
  };
}

/** UUID v4-shaped ids, 1, 2, 3… */
export function fixedIds(): () => string {
  let n = 0;
  return () => `00000000-0000-4000-8000-${String(++n).padStart(12, '0')}`;
}

/** Runs actions through the reducer a minute apart; returns each decision with its before/after. */
export function decide(...actions: ConsentAction[]): { event: DecisionEvent; before: Decisions; state: ConsentState }[] {
  let state: ConsentState = { policy: preparePolicy(fixturePolicy()), decisions: EMPTY_DECISIONS };
  const out: { event: DecisionEvent; before: Decisions; state: ConsentState }[] = [];
  actions.forEach((action, index) => {
    const before = state.decisions;
    const transition = reduce(state, action, T0 + index * 60_000);
    state = transition.state;
    for (const effect of transition.effects) if (effect.type === 'record') out.push({ event: effect.event, before, state });
  });
  return out;
}

/** A complete receipt input around one decision, with fixed ids and the test key's chain. */
export function inputFor(decision: { event: DecisionEvent; before: Decisions; state: ConsentState }, overrides: Partial<ReceiptInput> = {}): ReceiptInput {
  return {
    ...decision,
    jti: '00000000-0000-4000-8000-000000000001',
    iss: 'com.example.fixture',
    sub: 'install-5f0c6a1e',
    policyUrl: 'https://app.example/full-text.html',
    chain: { id: jwkThumbprint(TEST_JWK), seq: 1, prev: null },
    signer: 'device',
    ...overrides,
  };
}
