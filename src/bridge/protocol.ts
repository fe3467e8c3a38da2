/**
 * The consent bridge, protocol v1 (reference/mobile-cmp-receipts-bridges.md §3.7): one JSON
 * envelope, always carried as a string because React Native WebView and Android's
 * addJavascriptInterface carry nothing else. The native end of every host kit speaks this;
 * field names here are wire names and never change within a version.
 */

export const BRIDGE_NS = 'consent';
export const BRIDGE_VERSION = 1;
/** Larger messages are dropped unread: parsing megabytes on the UI thread is a cheap attack. */
export const MAX_MESSAGE_CHARS = 64 * 1024;

export type BridgeMethod =
  | 'hello'
  | 'permission.check'
  | 'permission.request'
  | 'permission.openSettings'
  | 'consent.put'
  | 'consent.get'
  | 'receipt.sign';

/** Events native → web (app lifecycle, OS changes) and web → native (`consent.changed`). */
export type BridgeEvent = 'app.resume' | 'app.background' | 'network.online' | 'permission.changed' | 'consent.changed';

/** `E_TIMEOUT` is raised locally; the others come from the native end. */
export type BridgeErrorCode = 'E_TIMEOUT' | 'E_UNSUPPORTED' | 'E_UNKNOWN_PERMISSION' | 'E_NOT_DECLARED' | 'E_BUSY' | 'E_INTERNAL';

/**
 * How long each method may take. `hello` is short (no answer means web-only mode);
 * `permission.request` is long because a person is reading an OS dialog; `openSettings`
 * resolves once Settings opened, and the real answer comes with `app.resume`.
 */
export const DEFAULT_TIMEOUTS_MS: Readonly<Record<BridgeMethod, number>> = {
  hello: 2_000,
  'permission.check': 5_000,
  'permission.request': 120_000,
  'permission.openSettings': 5_000,
  'consent.put': 5_000,
  'consent.get': 3_000,
  'receipt.sign': 5_000,
};

export interface WireError {
  readonly code: string;
  readonly message: string;
}

interface Head {
  readonly ns: typeof BRIDGE_NS;
  readonly v: typeof BRIDGE_VERSION;
}
export type RequestMessage = Head & { readonly type: 'req'; readonly id: string; readonly method: string; readonly params?: unknown };
export type ResponseMessage = Head & { readonly type: 'res'; readonly id: string } & (
  | { readonly result: unknown; readonly error?: never }
  | { readonly error: WireError; readonly result?: never }
);
export type EventMessage = Head & { readonly type: 'evt'; readonly event: string; readonly data?: unknown };
export type BridgeMessage = RequestMessage | ResponseMessage | EventMessage;

/** `foreign`: not ours (the channel is shared with the host app), ignored quietly. */
export type ParseResult =
  | { readonly kind: 'message'; readonly message: BridgeMessage }
  | { readonly kind: 'foreign' }
  | { readonly kind: 'dropped'; readonly reason: string };

// Our encoder writes `ns` first, so an oversized or broken string is recognisable as ours from
// its head without parsing the rest.
const looksOurs = (text: string) => /^\s*\{\s*"ns"\s*:\s*"consent"/.test(text.slice(0, 64));
const isText = (value: unknown, max = 256): value is string => typeof value === 'string' && value.length > 0 && value.length <= max;
const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Reads one incoming value (a string from most transports, an object from WKWebView's reply
 * handler and Capacitor). Never throws.
 */
export function parseMessage(raw: unknown): ParseResult {
  let value: unknown = raw;
  if (typeof raw === 'string') {
    if (raw.length > MAX_MESSAGE_CHARS) return looksOurs(raw) ? { kind: 'dropped', reason: `oversized (${raw.length} characters)` } : { kind: 'foreign' };
    try {
      value = JSON.parse(raw);
    } catch {
      return looksOurs(raw) ? { kind: 'dropped', reason: 'not valid JSON' } : { kind: 'foreign' };
    }
  }
  if (!isRecord(value) || value.ns !== BRIDGE_NS) return { kind: 'foreign' };
  if (typeof raw !== 'string' && JSON.stringify(value).length > MAX_MESSAGE_CHARS) return { kind: 'dropped', reason: 'oversized' };
  return validate(value);
}

function validate(value: Record<string, unknown>): ParseResult {
  const drop = (reason: string): ParseResult => ({ kind: 'dropped', reason });
  if (value.v !== BRIDGE_VERSION) return drop(`unsupported protocol version ${JSON.stringify(value.v)}`);
  switch (value.type) {
    case 'req':
      if (!isText(value.id)) return drop('request without an id');
      if (!isText(value.method)) return drop('request without a method');
      return { kind: 'message', message: value as unknown as RequestMessage };
    case 'res': {
      if (!isText(value.id)) return drop('response without an id');
      const hasError = value.error !== undefined;
      if (hasError === ('result' in value)) return drop('a response carries exactly one of result and error');
      if (hasError && !(isRecord(value.error) && isText(value.error.code, 64) && typeof value.error.message === 'string')) {
        return drop('error without a code and a message');
      }
      return { kind: 'message', message: value as unknown as ResponseMessage };
    }
    case 'evt':
      if (!isText(value.event)) return drop('event without a name');
      return { kind: 'message', message: value as unknown as EventMessage };
    default:
      return drop(`unknown message type ${JSON.stringify(value.type)}`);
  }
}

/** The wire form. Native ends must JSON-encode replies too, never concatenate strings into script. */
export function encodeMessage(message: BridgeMessage): string {
  return JSON.stringify(message);
}
