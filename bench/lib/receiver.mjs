// The reference receiver (examples/receiver), started the documented way — its command,
//   tsx examples/receiver/server.ts --port 0 --data <dir>
// — as a child process of the benchmark, with its data in a fresh temporary directory.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const RECEIVER_ENTRY = 'examples/receiver/server.ts';

export function tsxCli(root) {
  const cli = join(root, 'node_modules/tsx/dist/cli.mjs');
  return existsSync(cli) ? cli : undefined;
}

export async function startReceiverProcess(root, { timeoutMs = 20_000 } = {}) {
  if (!existsSync(join(root, RECEIVER_ENTRY))) return { missing: RECEIVER_ENTRY };
  const cli = tsxCli(root);
  if (!cli) return { missing: 'node_modules/tsx' };
  const dataDir = await mkdtemp(join(tmpdir(), 'inapp-consent-bench-receiver-'));
  const child = spawn(process.execPath, [cli, RECEIVER_ENTRY, '--port', '0', '--data', dataDir], {
    cwd: root, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, RECEIVER_FAULT: '' },
  });
  let output = '';
  const url = await new Promise((resolve) => {
    const timer = setTimeout(() => resolve(undefined), timeoutMs);
    const onData = (chunk) => {
      output += chunk;
      const match = output.match(/https?:\/\/127\.0\.0\.1:\d+/);
      if (match) {
        clearTimeout(timer);
        resolve(match[0]);
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', (chunk) => (output += chunk));
    child.on('exit', () => {
      clearTimeout(timer);
      resolve(undefined);
    });
  });
  const stop = async () => {
    if (child.exitCode === null) {
      child.kill('SIGTERM');
      await new Promise((resolve) => {
        const timer = setTimeout(() => {
          child.kill('SIGKILL');
          resolve();
        }, 3000);
        child.once('exit', () => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
    await rm(dataDir, { recursive: true, force: true });
  };
  if (!url) {
    await stop();
    return { error: `the receiver did not start: ${output.trim().split('\n').slice(-3).join(' | ')}` };
  }
  return {
    url,
    dataDir,
    stop,
    /** The append-only ledger: one JSON line per accepted receipt. */
    async ledger() {
      const text = await readFile(join(dataDir, 'receipts.jsonl'), 'utf8').catch(() => '');
      return text.split('\n').filter(Boolean).map((line) => {
        try {
          return JSON.parse(line);
        } catch {
          return { unreadable: line.length };
        }
      });
    },
  };
}
