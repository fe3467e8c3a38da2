/**
 * The consent receipt as signed and sent: a JWT claims set that keeps the Kantara Consent
 * Receipt v1.1 field names verbatim (so Kantara tooling can read it) and puts what Kantara lacks
 * in one `x` object (reference/mobile-cmp-receipts-bridges.md §2.5). Every field is wire data:
 * none starts with `_`, which the script-tag build would mangle.
 */

/** Explicit typing (RFC 8725 §3.11): a receipt can never pass for an auth token. */
export const RECEIPT_TYP = 'consent-receipt+jwt';
/** ISO/IEC TS 27560 "schema version" of our `x` extension. */
export const RECEIPT_SCHEMA = 'inapp-consent-receipt/1';
export const KANTARA_VERSION = 'KI-CR-v1.1.0';

/** A P-256 public key, stripped to the members RFC 7638 hashes (no `d`, `ext`, `key_ops`). */
export interface PublicJwk {
  readonly kty: 'EC';
  readonly crv: 'P-256';
  readonly x: string;
  readonly y: string;
}

/**
 * Who signed, in the §2.6 fallback order: the device's non-extractable WebCrypto key, the
 * native host (Secure Enclave / Keystore through the bridge), a session-only key, or nobody
 * (no WebCrypto and no host signer: the receipt is kept and sent unsigned, `alg: none`).
 */
export type SignerKind = 'device' | 'host' | 'ephemeral' | 'none';

/** The signing port. `sign` returns the 64-byte r‖s ES256 signature (RFC 7518 §3.4). */
export interface ReceiptSigner {
  readonly kind: SignerKind;
  /** Absent only for `none`. */
  readonly jwk?: PublicJwk;
  sign(data: Uint8Array): Promise<Uint8Array>;
}

/**
 * A signer the host provides (the native bridge plugs its Secure Enclave / Keystore key in
 * here). Android Keystore returns DER signatures: the host converts them to 64-byte r‖s.
 */
export interface HostSigner {
  /** `fallback` (default): used only when the device key cannot work. `always`: used instead. */
  readonly use?: 'fallback' | 'always';
  publicKey(): Promise<{ readonly kty: string; readonly crv: string; readonly x: string; readonly y: string }>;
  sign(data: Uint8Array): Promise<Uint8Array | ArrayBuffer>;
}

export interface ReceiptHeader {
  readonly alg: 'ES256' | 'none';
  readonly typ: typeof RECEIPT_TYP;
  /** RFC 7638 thumbprint of `jwk`, or the chain id of unsigned receipts. */
  readonly kid: string;
  readonly jwk?: PublicJwk;
}

/** Position in the per-key hash chain (§2.8). `prev` = base64url SHA-256 of the previous JWS. */
export interface ChainLink {
  readonly id: string;
  readonly seq: number;
  readonly prev: string | null;
}

export interface KantaraPurpose {
  readonly purpose: string;
  readonly consentType: 'EXPLICIT' | 'N/A';
  readonly purposeCategory: readonly string[];
  readonly piiCategory: readonly string[];
  readonly primaryPurpose: boolean;
  readonly termination: string;
  readonly thirdPartyDisclosure: boolean;
  readonly thirdPartyName?: string;
}

export interface KantaraController {
  readonly piiController: string;
  readonly contact: string;
  readonly address: Readonly<Record<string, string>>;
  readonly email: string;
  readonly phone: string;
  readonly piiControllerUrl?: string;
}

export type EventType = 'given' | 'refused' | 'withdrawn' | 'updated';
/** W3C DPV ConsentStatus terms (§2.4). */
export type ConsentStatusTerm = 'ConsentGiven' | 'RenewedConsentGiven' | 'ConsentRefused' | 'ConsentWithdrawn' | 'ConsentUnknown';

export type ReceiptDecision =
  | { readonly purposeId: string; readonly status: 'granted' | 'refused'; readonly legalBasis: string; readonly hash: string }
  | { readonly consentId: string; readonly purposeId?: string; readonly status: 'granted' | 'refused'; readonly hash: string };

export interface ReceiptExtension {
  readonly schema: typeof RECEIPT_SCHEMA;
  readonly event: { readonly type: EventType; readonly state: ConsentStatusTerm; readonly time: string; readonly kind: string; readonly surface: string };
  /** What the person decided in this event, refusals included (Kantara has no refusal). */
  readonly decisions: readonly ReceiptDecision[];
  readonly notice: { readonly id: string; readonly version: string; readonly sha256: string; readonly url: string; readonly locale: string };
  /** The OS grant is evidence of a permission outcome, never of consent (§5). */
  readonly permission?: {
    readonly id: string; readonly name: string; readonly prePrompt: 'shown' | 'skipped';
    readonly choice?: 'continue' | 'not_now'; readonly osBefore: string; readonly osAfter: string;
  };
  /** Every retention rule of the notice, once; Kantara's per-purpose `termination` names them by id. */
  readonly retention: readonly { readonly id: string; readonly text: string }[];
  readonly withdrawal: readonly { readonly type: string; readonly value?: string; readonly route?: string }[];
  readonly chain: ChainLink;
  readonly signer: SignerKind;
  /** §2.6 (3): signed by a key that dies with this session. */
  readonly keyEphemeral?: true;
}

export interface ReceiptPayload {
  readonly jti: string;
  readonly iat: number;
  readonly iss: string;
  readonly sub: string;
  readonly version: typeof KANTARA_VERSION;
  readonly jurisdiction: string;
  readonly consentTimestamp: number;
  readonly collectionMethod: string;
  readonly consentReceiptID: string;
  readonly language: string;
  readonly piiPrincipalId: string;
  readonly piiControllers: readonly KantaraController[];
  readonly policyUrl: string;
  readonly services: readonly { readonly service: string; readonly purposes: readonly KantaraPurpose[] }[];
  readonly sensitive: boolean;
  readonly spiCat: readonly string[];
  readonly x: ReceiptExtension;
}
