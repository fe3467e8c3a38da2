import { readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { startReceiver, type Receiver } from '../../examples/receiver/receiver.js';
import type { Script } from '../../examples/simulator/native-host.js';
import { launchChromium, phoneContext } from '../helpers/browser.js';
import { startStaticServer, type StaticServer } from '../helpers/static-server.js';
import { ROOT } from './widget-support.js';

/**
 * The journeys' world: Debian's Chromium, the repository served on 127.0.0.1 (the demo apps
 * under examples/apps load dist/inapp-consent.iife.js with `data-endpoint="/receipts"`), that
 * path proxied to the reference receiver (examples/receiver) in a fresh data directory, and
 * the native-host simulator bundled for injection at document start.
 */
export interface JourneySuite {
  readonly browser: Browser;
  readonly server: StaticServer;
  readonly receiver: Receiver;
  readonly dataDir: string;
  readonly phoneScript: string;
  close(): Promise<void>;
}

/** Same-origin `/receipts` for the pages, answered by the receiver, as scripts/serve-demo.mjs does. */
const proxyTo = (target: string) => (request: IncomingMessage, response: ServerResponse) => {
  const url = new URL(request.url ?? '/', target);
  const upstream = httpRequest(url, { method: request.method, headers: { ...request.headers, host: url.host } }, (answer) => {
    response.writeHead(answer.statusCode ?? 502, answer.headers);
    answer.pipe(response);
  });
  upstream.on('error', () => response.headersSent || response.writeHead(502).end());
  request.pipe(upstream);
};

export async function startJourneySuite(): Promise<JourneySuite> {
  const dataDir = await mkdtemp(join(tmpdir(), 'e2e-journeys-'));
  const [receiver, bundle, browser] = await Promise.all([
    startReceiver({ dataDir }),
    build({ entryPoints: [join(ROOT, 'test/e2e/pages/journeys/native-phone.ts')], bundle: true, format: 'iife', target: 'es2020', write: false, logLevel: 'error' }),
    launchChromium(),
  ]);
  const server = await startStaticServer(ROOT, {
    routes: { '/receipts': proxyTo(receiver.url), '/favicon.ico': (_request, response) => void response.writeHead(204).end() },
  });
  return {
    browser, server, receiver, dataDir, phoneScript: bundle.outputFiles[0]!.text,
    async close() {
      await Promise.all([browser.close(), server.close(), receiver.close()]);
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

export type PolicyDoc = {
  policy: { id: string; version: string; title: string };
  purposes: { id: string; label: string; consentMode: string }[];
  separateConsents: { id: string; title: string; purposeId?: string }[];
  permissions: { id: string; kind: string; label: string }[];
  features: { id: string; label: string }[];
};
export const policyOf = (slug: string) => JSON.parse(readFileSync(join(ROOT, 'examples/policies', `${slug}.json`), 'utf8')) as PolicyDoc;

/** What the page's instance says now (`InAppConsent.instance`, the host API). */
export interface Snapshot {
  decision: string;
  needsConsent: boolean;
  subject: string;
  policyVersion: string;
  granted: Record<string, boolean>;
  permissions: Record<string, string>;
  pending: { purposes: string[]; separateConsents: string[] };
}

type PageScope = {
  InAppConsent: { ready: Promise<unknown>; instance: { state: { value: Snapshot }; isGranted(id: string): boolean; on(type: string, listener: (value: { jti?: string; kind?: string; code?: string; message?: string }) => void): () => void; flush(): Promise<void>; pendingReceipts(): Promise<unknown[]>; deadReceipts(): Promise<unknown[]>; showFirstLaunch(): Promise<string> } };
  journeyLog: { receipts: string[]; decisions: string[]; errors: string[] };
  phone: { calls: { method: string; params: { id?: string } }[] };
};

/**
 * One seed app on a fresh phone (new context: empty webview storage, a new device key, a new
 * receipt chain). `answers` scripts the OS dialogs (default: grant). `serve(policy)` makes the
 * app's next load get that policy document instead of the one on disk.
 */
export async function openApp(suite: JourneySuite, slug: string, options: { answers?: Record<string, Script> } = {}) {
  const context: BrowserContext = await phoneContext(suite.browser);
  let served: unknown;
  await context.route(`**/examples/policies/${slug}.json`, (route) => (served ? route.fulfill({ json: served }) : route.continue()));
  await context.addInitScript({ content: `window.journeyPhone = ${JSON.stringify({ answers: options.answers ?? {} })};\n${suite.phoneScript}` });
  const page: Page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  // The page's own network spy (FL-01): every request other than a GET of the app's files.
  const sent: string[] = [];
  page.on('request', (request) => {
    const url = new URL(request.url());
    if (request.method() !== 'GET' || url.origin !== suite.server.url) sent.push(`${request.method()} ${request.url()}`);
  });
  const load = async (go: () => Promise<unknown>) => {
    await go();
    await page.evaluate(async () => {
      const scope = window as unknown as PageScope;
      await scope.InAppConsent.ready;
      const log: PageScope['journeyLog'] = (scope.journeyLog = { receipts: [], decisions: [], errors: [] });
      scope.InAppConsent.instance.on('receipt', (entry) => log.receipts.push(entry.jti!));
      scope.InAppConsent.instance.on('decision', (event) => log.decisions.push(event.kind!));
      // Environment failures (bridge, storage, sync) are reported, never thrown: a journey has none.
      scope.InAppConsent.instance.on('error', (error) => log.errors.push(`${error.code}: ${error.message}`));
    });
  };
  await load(() => page.goto(`${suite.server.url}/examples/apps/${slug}/index.html`));
  return {
    page,
    errors,
    sent,
    serve: (policy: unknown) => void (served = policy),
    reload: () => load(() => page.reload()),
    close: () => context.close(),
  };
}
export type App = Awaited<ReturnType<typeof openApp>>;

export const snapshot = (page: Page) => page.evaluate(() => structuredClone((window as unknown as PageScope).InAppConsent.instance.state.value));
export const isGranted = (page: Page, id: string) => page.evaluate((key) => (window as unknown as PageScope).InAppConsent.instance.isGranted(key), id);
/** The page's log since its last load: the jti of each receipt the device made, each decision kind, each `error` event. */
export const pageLog = (page: Page) => page.evaluate(() => (window as unknown as PageScope).journeyLog);
/** How many times the "OS" was asked for a permission (the simulator's own record). */
export const osRequests = (page: Page) => page.evaluate(() => (window as unknown as PageScope).phone.calls.filter((call) => call.method === 'permission.request').length);

/**
 * Resolves true when nothing needs deciding: `showFirstLaunch()` settles at once then, and
 * never while a dialog waits for the person (so the race is with a dialog, not with time).
 */
export const nothingToDecide = (page: Page) =>
  page.evaluate(() => Promise.race([
    (window as unknown as PageScope).InAppConsent.instance.showFirstLaunch().then(() => true),
    new Promise<boolean>((resolve) => setTimeout(() => resolve(false), 2_000)),
  ]));

/** The receipts the receiver stored for one subject, in the order it accepted them (its append-only ledger). */
export async function receiptsAt(suite: JourneySuite, subject: string): Promise<string[]> {
  const text = await readFile(join(suite.dataDir, 'receipts.jsonl'), 'utf8').catch(() => '');
  return text.split('\n').filter(Boolean).map((line) => JSON.parse(line) as { sub: string; jws: string }).filter((record) => record.sub === subject).map((record) => record.jws);
}

/** Pushes the outbox now and waits until the device holds nothing unsent (or 15 s pass). */
export async function flushed(page: Page): Promise<{ pending: number; dead: number }> {
  const end = Date.now() + 15_000;
  for (;;) {
    const counts = await page.evaluate(async () => {
      const consent = (window as unknown as PageScope).InAppConsent.instance;
      await consent.flush();
      return { pending: (await consent.pendingReceipts()).length, dead: (await consent.deadReceipts()).length };
    });
    if ((counts.pending === 0 && counts.dead === 0) || Date.now() > end) return counts;
    await new Promise((resolve) => setTimeout(resolve, 100)); // a poll interval, not a wait for time to pass
  }
}
