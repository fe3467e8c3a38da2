import { ConsentError } from '../core/errors.js';
import { EMPTY_HEAD, type LogHead } from '../core/receipt-chain.js';
import { createMemoryReceiptLog, StaleHead, type ReceiptLog } from './receipt-log.js';
import { withTimeout } from './with-timeout.js';

/**
 * The receipt log, made to never break the host (as storage/resilient-store.ts does for
 * decisions): the first failure or a call that hangs (a `blocked` open in some Android
 * WebViews) moves this session's receipts to memory, reports one error, and the failed call is
 * answered there. The memory log continues from the last head read, so chains stay unbroken
 * within the session; receipts already in IndexedDB are sent on a later launch.
 */
export function createResilientLog(primary: ReceiptLog, report: (error: ConsentError) => void, timeoutMs = 3000): ReceiptLog {
  let fallback: ReceiptLog | undefined = primary.kind === 'memory' ? primary : undefined;
  let lastHead: LogHead = EMPTY_HEAD;

  const attempt = async <T>(call: (log: ReceiptLog) => Promise<T>): Promise<T> => {
    if (fallback) return call(fallback);
    try {
      return await withTimeout(call(primary), timeoutMs, 'the receipt log');
    } catch (cause) {
      // The log answered: another context appended first. The caller reads the head again.
      if (cause instanceof StaleHead) throw cause;
      if (!fallback) {
        report(new ConsentError('storage-write-failed', 'inapp-consent: the receipt log failed; receipts are kept in memory for this session', { cause }));
        fallback = createMemoryReceiptLog(lastHead);
      }
      return call(fallback);
    }
  };

  return {
    get kind() {
      return fallback ? 'memory' : primary.kind;
    },
    head: () => attempt(async (log) => (lastHead = await log.head())),
    append: (entry, head) => attempt(async (log) => {
      await log.append(entry, head);
      lastHead = head;
    }),
    list: () => attempt((log) => log.list()),
    put: (entries) => attempt((log) => log.put(entries)),
    lease: (owner, now, ttlMs) => attempt((log) => log.lease(owner, now, ttlMs)),
  };
}
