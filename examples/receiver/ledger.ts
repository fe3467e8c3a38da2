import { appendFile, mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';

/** One accepted receipt, as stored: a line of receipts.jsonl. */
export interface LedgerRecord {
  readonly jti: string;
  readonly kid: string;
  readonly sub: string;
  readonly seq: number;
  /** base64url SHA-256 of the JWS: what the next receipt's `prev` must be. */
  readonly hash: string;
  readonly jws: string;
  /** Server time, seconds: the device's `iat` is only the device's word. */
  readonly receivedAt: number;
  /** The countersigned acknowledgement returned to the device (and again on a replay). */
  readonly ack: string;
}

export interface Ledger {
  readonly records: readonly LedgerRecord[];
  byJti(jti: string): LedgerRecord | undefined;
  /** The chain head per key: the witness that makes tail truncation on the device detectable. */
  head(kid: string): LedgerRecord | undefined;
  append(record: LedgerRecord): Promise<void>;
}

/**
 * Append-only storage on disk, one JSON line per accepted receipt. Nothing is ever rewritten,
 * so the file is its own audit log; state (jti index, heads) is rebuilt by replaying it at
 * start. A line cut short by a crash mid-write is skipped: its receipt was never acknowledged,
 * so the device still has it pending and sends it again.
 */
export async function openLedger(dataDir: string): Promise<Ledger> {
  await mkdir(dataDir, { recursive: true });
  const file = join(dataDir, 'receipts.jsonl');
  const text = await readFile(file, 'utf8').catch(() => '');
  const records: LedgerRecord[] = [];
  const jtis = new Map<string, LedgerRecord>();
  const heads = new Map<string, LedgerRecord>();
  const index = (record: LedgerRecord) => {
    records.push(record);
    jtis.set(record.jti, record);
    heads.set(record.kid, record);
  };
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    try {
      index(JSON.parse(line) as LedgerRecord);
    } catch {
      // A torn last line (see above).
    }
  }
  return {
    records,
    byJti: (jti) => jtis.get(jti),
    head: (kid) => heads.get(kid),
    async append(record) {
      // Written before the ack goes out: an acknowledged receipt is always on disk.
      await appendFile(file, `${JSON.stringify(record)}\n`, { encoding: 'utf8', flush: true });
      index(record);
    },
  };
}
