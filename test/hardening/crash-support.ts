import { readdir, readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { chromium, type BrowserContext } from 'playwright-core';
import { CHROMIUM_PATH } from '../helpers/browser.js';

/**
 * Crashing Chromium for real (issue 8, item 5): a persistent profile (`--user-data-dir`), so
 * IndexedDB survives like an app's webview data, and SIGKILL of the browser process, which
 * gives no page a chance to run anything (no pagehide, no keepalive), as an OS killing an app.
 */

/** Same flags as test/helpers/browser.ts, with a profile kept on disk between launches. */
export function launchProfile(userDataDir: string): Promise<BrowserContext> {
  return chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM_PATH,
    headless: true,
    viewport: { width: 360, height: 640 },
    locale: 'zh-CN',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-quic', '--no-first-run'],
  });
}

/** Pids of every process started with this profile (the browser and its helpers). */
async function profilePids(userDataDir: string): Promise<{ pid: number; browser: boolean }[]> {
  const found: { pid: number; browser: boolean }[] = [];
  for (const name of await readdir('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const cmdline = await readFile(`/proc/${name}/cmdline`, 'utf8').catch(() => '');
    const args = cmdline.split('\0');
    if (!args.includes(`--user-data-dir=${userDataDir}`)) continue;
    found.push({ pid: Number(name), browser: !args.some((arg) => arg.startsWith('--type=')) });
  }
  return found;
}

/**
 * SIGKILLs the browser process of this profile (found by its own `--user-data-dir`, so only
 * the Chromium this test launched), then any helper still alive, and waits until all are gone.
 */
export async function killBrowser(userDataDir: string): Promise<void> {
  const pids = await profilePids(userDataDir);
  const browser = pids.filter((entry) => entry.browser);
  if (browser.length !== 1) throw new Error(`expected one browser process for ${userDataDir}, found ${browser.length}`);
  process.kill(browser[0]!.pid, 'SIGKILL');
  for (let tries = 0; tries < 100; tries++) {
    const left = await profilePids(userDataDir);
    if (left.length === 0) return;
    if (tries === 20) left.forEach((entry) => { try { process.kill(entry.pid, 'SIGKILL'); } catch { /* gone */ } });
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error('Chromium did not exit after SIGKILL');
}

/**
 * A server whose one route never answers: a page that calls it with a synchronous XHR freezes
 * its main thread right there. The test learns the page reached that point (`reached`) and
 * kills the browser while it is frozen — mid-write, with the IndexedDB transaction uncommitted.
 */
export async function startTrap(): Promise<{ url: string; reached: Promise<void>; close(): Promise<void> }> {
  let signal!: () => void;
  const reached = new Promise<void>((resolve) => (signal = resolve));
  const server: Server = createServer(() => signal());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/trap`,
    reached,
    close: () => new Promise((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}
