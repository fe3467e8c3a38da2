import { ConsentError } from '../core/errors.js';
import type { HostSigner, ReceiptSigner } from '../core/receipt-types.js';
import { loadDeviceSigner } from './device-signer.js';
import { hostSigner } from './host-signer.js';
import { withTimeout } from '../sync/with-timeout.js';
import { generateKeyPair, webCryptoSigner } from './webcrypto-signer.js';

/** §2.6 step 4: nobody can sign; the receipt is still made, kept and sent (`alg: none`). */
const UNSIGNED: ReceiptSigner = { kind: 'none', sign: async () => new Uint8Array(0) };

export interface SignerChoice {
  readonly device: boolean;
  readonly host?: HostSigner | undefined;
  readonly report: (error: ConsentError) => void;
  /** Bounds each attempt: a `blocked` IndexedDB open never settles in some Android WebViews. */
  readonly timeoutMs?: number;
}

/**
 * Picks the signer in the order of reference/mobile-cmp-receipts-bridges.md §2.6: the device key
 * (unless the host asks to sign always), the host's signer, a session-only key, and finally no
 * signature. Every step skipped is reported as `signer-unavailable`; none throws.
 */
export async function chooseSigner({ device, host, report, timeoutMs = 3000 }: SignerChoice): Promise<ReceiptSigner> {
  const steps: [string, () => Promise<ReceiptSigner>][] = [];
  if (host?.use === 'always') steps.push(['host', () => hostSigner(host)]);
  if (device) steps.push(['device', () => loadDeviceSigner()]);
  if (host && host.use !== 'always') steps.push(['host', () => hostSigner(host)]);
  steps.push(['ephemeral', async () => webCryptoSigner('ephemeral', await generateKeyPair())]);
  for (const [name, make] of steps) {
    try {
      return await withTimeout(make(), timeoutMs, `the ${name} signer`);
    } catch (cause) {
      const message = cause instanceof Error ? cause.message : String(cause);
      report(new ConsentError('signer-unavailable', `inapp-consent: the ${name} signer is unavailable (${message}); falling back`, { cause }));
    }
  }
  return UNSIGNED;
}
