/**
 * Every error inapp-consent raises. Programmer errors (bad options, a malformed policy, an
 * action the policy does not allow) are thrown; environment failures (storage, network, bridge)
 * are reported as `error` events with the same codes and never thrown into the host.
 */
export type ErrorCode =
  | 'invalid-policy'
  | 'invalid-options'
  | 'invalid-action'
  | 'storage-unavailable'
  | 'storage-write-failed'
  | 'storage-record-corrupt'
  | 'storage-record-unknown-version'
  | 'listener-failed'
  | 'destroyed'
  // Receipts and sync (issue 4): reported as `error` events, never thrown into the host.
  | 'signer-unavailable'
  | 'sync-failed'
  | 'receipt-rejected'
  | 'receipt-revived'
  // Raised by `inapp-consent/verify` on the server side.
  | 'receipt-invalid'
  | 'signature-invalid'
  | 'chain-invalid'
  // Permission requests and the native bridge (issue 5). The first two reject
  // `requestPermission` (programmer errors, PP-01 and PP-03); the bridge codes are reported as
  // `error` events and carried in the request's outcome, never thrown into the host.
  | 'permission-not-declared'
  | 'permission-busy'
  | 'bridge-timeout'
  | 'bridge-failed'
  | 'bridge-message-dropped';

/** One problem found in a document, located by its JSON path (`permissions[2].features`). */
export interface Problem {
  readonly path: string;
  readonly message: string;
}

export class ConsentError extends Error {
  readonly code: ErrorCode;
  /** Every problem found, for `invalid-policy` and `invalid-options`. */
  readonly problems: readonly Problem[];
  override readonly cause: unknown;

  constructor(code: ErrorCode, message: string, options: { problems?: readonly Problem[]; cause?: unknown } = {}) {
    super(message);
    this.name = 'ConsentError';
    this.code = code;
    this.problems = options.problems ?? [];
    this.cause = options.cause;
  }
}

/** Formats problems one per line, as both the CLI and thrown errors print them. */
export function formatProblems(problems: readonly Problem[]): string {
  return problems.map((problem) => `${problem.path || '(document)'}: ${problem.message}`).join('\n');
}
