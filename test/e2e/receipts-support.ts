import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';
import { startReceiver, type Fault, type Receiver } from '../../examples/receiver/receiver.js';
import { launchChromium, phoneContext } from '../helpers/browser.js';
import { startStaticServer, type StaticServer } from '../helpers/static-server.js';

const root = fileURLToPath(new URL('../../', import.meta.url));

/**
 * The page server: test/e2e/pages plus the headless API bundled from src with esbuild (an IIFE
 * with global `InAppConsentTest`), so the test runs the code in this tree, in real Chromium
 * with its IndexedDB, WebCrypto, Web Locks and fetch — and the fixture policy.
 */
export async function startPages(): Promise<StaticServer> {
  const bundle = await build({ entryPoints: [join(root, 'src/headless.ts')], bundle: true, format: 'iife', globalName: 'InAppConsentTest', write: false, target: 'es2020', logLevel: 'silent' });
  const script = bundle.outputFiles[0]!.contents;
  const policy = await readFile(join(root, 'test/fixtures/fixture-policy.json'));
  return startStaticServer(join(root, 'test/e2e/pages'), {
    routes: {
      '/bundle.js': (_request, response) => response.writeHead(200, { 'content-type': 'text/javascript' }).end(script),
      '/policy.json': (_request, response) => response.writeHead(200, { 'content-type': 'application/json' }).end(policy),
    },
  });
}

export type ReceiverFixture = Awaited<ReturnType<typeof receiverFixture>>;

/**
 * The hooks of the e2e files that run pages against the reference receiver: one Chromium and
 * one page server per file, and for each test a fresh receiver (its own data directory) and a
 * fresh phone context. Read the fields inside tests and hooks (they are set by then).
 */
export function receiverSuite() {
  const suite = {} as { browser: Browser; pages: StaticServer; context: BrowserContext; fixture: ReceiverFixture };
  beforeAll(async () => {
    [suite.browser, suite.pages] = await Promise.all([launchChromium(), startPages()]);
  });
  afterAll(async () => {
    await suite.browser?.close();
    await suite.pages?.close();
  });
  beforeEach(async () => {
    suite.fixture = await receiverFixture();
    suite.context = await phoneContext(suite.browser);
  });
  afterEach(async () => {
    await suite.context?.close();
    await suite.fixture?.dispose();
  });
  return suite;
}

/** A reference receiver in a fresh data directory, restartable on the same port. */
export async function receiverFixture() {
  const dataDir = await mkdtemp(join(tmpdir(), 'e2e-receiver-'));
  let current: Receiver | undefined;
  return {
    dataDir,
    get receiver() {
      return current!;
    },
    async start(port = 0, fault?: Fault) {
      current = await startReceiver({ dataDir, port, ...(fault ? { fault } : {}) });
      return current;
    },
    async stop() {
      await current?.close();
    },
    async dispose() {
      await current?.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

export interface Listing {
  devices: { kid: string; sub: string; count: number; headSeq: number; chain: { valid: boolean; problems: unknown[] }; receipts: { seq: number; jti: string; event: { type: string } }[] }[];
}

export const listing = async (receiver: Receiver): Promise<Listing> => (await fetch(`${receiver.url}/receipts`)).json() as Promise<Listing>;

/** Polls until `check` holds (or throws its last failure after `timeoutMs`). */
export async function eventually<T>(read: () => Promise<T>, check: (value: T) => boolean, timeoutMs = 15_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (check(value) || Date.now() > end) return value;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Opens the test page and waits for its consent instance to be ready. */
export async function openPage(page: Page, base: string, query: Record<string, string> = {}) {
  await page.goto(`${base}/receipts.html?${new URLSearchParams(query)}`);
  await page.evaluate(() => (window as unknown as { started: Promise<void> }).started);
}
