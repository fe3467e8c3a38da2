import { appendFile, mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * One chain link, as stored: a line of receipts.jsonl. Usually an accepted receipt; a receipt
 * rejected for its content (it verifies under the chain's key and fits the chain, but failed a
 * check) is a link too, kept with `rejected` (its reason) and no ack, so the device's next
 * receipt, whose `prev` is its hash, still continues the chain — and the listing says so.
 */
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
  /** The countersigned acknowledgement returned to the device (and again on a replay); accepted only. */
  readonly ack?: string;
  /** Why this link was rejected (quarantined): absent for an accepted receipt. */
  readonly rejected?: string;
}

export interface Ledger {
  readonly records: readonly LedgerRecord[];
  byJti(jti: string): LedgerRecord | undefined;
  /** The chain head per key: the witness that makes tail truncation on the device detectable. */
  head(kid: string): LedgerRecord | undefined;
  /** The subject the key was first seen with (trust on first use, §2.7): its seq 1. */
  subject(kid: string): string | undefined;
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
  const subjects = new Map<string, string>();
  const index = (record: LedgerRecord) => {
    records.push(record);
    jtis.set(record.jti, record);
    heads.set(record.kid, record);
    if (!subjects.has(record.kid)) subjects.set(record.kid, record.sub);
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
    subject: (kid) => subjects.get(kid),
    async append(record) {
      // Written before the ack goes out: an acknowledged receipt is always on disk.
      await appendFile(file, `${JSON.stringify(record)}\n`, { encoding: 'utf8', flush: true });
      index(record);
    },
  };
}
