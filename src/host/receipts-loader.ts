import { ConsentError } from '../core/errors.js';
import { lazy } from './lazy.js';
import type { ReceiptsPart, ReceiptsPartOptions } from './receipts-part.js';

/**
 * The receipts part of an instance (signing, the outbox, sync, write-ahead bookkeeping: see
 * receipts-part.ts), loaded at its first use: after `ready`, or by a decision. In the ESM builds
 * it is a chunk of its own, kept off the start path. `use` runs with the part, or reports that it
 * could not be loaded and answers `fallback`: the decision stays stored with its event listed,
 * and is receipted when the part loads (the next use tries again, or a later start).
 */
export function receiptsLoader(options: Omit<ReceiptsPartOptions, 'iss'> & { readonly iss?: string | undefined }) {
  let part: ReceiptsPart | undefined;
  const origin = typeof location === 'undefined' ? '' : location.origin;
  const load = lazy(async () => {
    const { createReceiptsPart } = await import('./receipts-part.js');
    return (part = createReceiptsPart({ ...options, iss: options.iss ?? (/^https?:/.test(origin) ? origin : `urn:inapp-consent:${options.policyId}`) }));
  });
  return {
    use: <T>(run: (part: ReceiptsPart) => Promise<T>, fallback: T): Promise<T> =>
      load().then(run, (cause: unknown) => {
        options.report(new ConsentError('sync-failed', 'inapp-consent: the receipts part could not be loaded; the decision is stored, its receipt made later', { cause }));
        return fallback;
      }),
    // A part still loading when the instance is destroyed stays open (its channel unref'd); the
    // instance ignores what it reports from then on.
    stop: () => part?.stop(),
  };
}
