import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { OsStatus } from '../../../../examples/simulator/native-host.js';
import { launchChromium, phoneContext } from '../../../helpers/browser.js';
import { startStaticServer, type StaticServer } from '../../../helpers/static-server.js';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '../../../..');

/** What the phone keeps outside the webview: the OS permission table and native storage. */
export interface NativeState {
  os?: Record<string, OsStatus>;
  store?: Record<string, unknown>;
}

export interface AppOptions {
  readonly policy: 'lakala-pay' | 'e-yueche';
  readonly transport?: 'react-native' | 'webkit' | 'android' | 'none';
  readonly answers?: Record<string, string>;
  /** Wall-clock offset in ms (the page's `now`): "the clock moved". */
  readonly offset?: number;
  readonly requestTimeout?: number;
}

/**
 * Bundles the test app from src with esbuild (what the browser runs is the TypeScript under
 * test, not a stale dist/), serves it with two seed policies, and launches Debian's Chromium.
 */
export async function startBridgeSuite() {
  const dir = mkdtempSync(join(tmpdir(), 'inapp-consent-bridge-'));
  await build({ entryPoints: [join(here, 'entry.ts')], bundle: true, format: 'esm', target: 'es2022', outfile: join(dir, 'bundle.js'), logLevel: 'error' });
  copyFileSync(join(here, 'index.html'), join(dir, 'index.html'));
  mkdirSync(join(dir, 'policies'));
  for (const name of ['lakala-pay', 'e-yueche']) copyFileSync(join(root, 'examples/policies', `${name}.json`), join(dir, 'policies', `${name}.json`));
  const server: StaticServer = await startStaticServer(dir);
  const browser: Browser = await launchChromium();
  return {
    server,
    browser,
    async close() {
      await browser.close();
      await server.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * Opens the app in a fresh context (empty webview storage) with the phone's native state,
 * which the page reports back after every change.
 */
export async function openApp(suite: { server: StaticServer; browser: Browser }, options: AppOptions, native: NativeState = {}) {
  const context: BrowserContext = await phoneContext(suite.browser);
  const page: Page = await context.newPage();
  const phone = { native: structuredClone(native) };
  const pageErrors: string[] = [];
  page.on('pageerror', (error) => pageErrors.push(error.message));
  await page.exposeFunction('nativeLoad', () => phone.native);
  await page.exposeFunction('nativePersist', (state: NativeState) => void (phone.native = state));
  const open = async (next: AppOptions) => {
    const query = new URLSearchParams({
      policy: next.policy, transport: next.transport ?? 'react-native', answers: JSON.stringify(next.answers ?? {}),
      offset: String(next.offset ?? 0), requestTimeout: String(next.requestTimeout ?? 120_000),
    });
    await page.goto(`${suite.server.url}/?${query}`);
    await page.waitForFunction(() => (window as unknown as { app?: { ready?: boolean } }).app?.ready === true);
  };
  await open(options);
  return {
    page,
    context,
    phone,
    pageErrors,
    /** Relaunches the app in the same webview (storage kept), e.g. with the clock moved. */
    relaunch: (changes: Partial<AppOptions> = {}) => open({ ...options, ...changes }),
    row: (feature: string, permission?: string) => page.locator(`.row[data-feature="${feature}"]${permission ? `[data-permission="${permission}"]` : ':not([data-permission])'}`),
    dialog: page.getByRole('dialog'),
    close: () => context.close(),
  };
}

export type App = Awaited<ReturnType<typeof openApp>>;

/**
 * Taps a feature's button (or the row's 去开启 / 去设置 button: a user-initiated request),
 * answers the rationale prompt when asked to, and returns the outcome the page shows.
 */
export async function startFeature(app: App, feature: string, permission: string, options: { answer?: '继续' | '暂不' | '去设置'; tap?: 'feature' | 'again' } = {}) {
  const output = app.row(feature, permission).locator('output');
  const runs = Number((await output.getAttribute('data-runs')) ?? 0);
  const row = app.row(feature, permission);
  await (options.tap === 'again' ? row.locator('.again') : row.getByRole('button').first()).click();
  if (options.answer) await app.dialog.getByRole('button', { name: options.answer }).click({ timeout: 5_000 });
  await app.page.waitForFunction(
    ([selector, before]) => Number(document.querySelector(selector)?.getAttribute('data-runs') ?? 0) > before,
    [`.row[data-feature="${feature}"][data-permission="${permission}"] output`, runs] as const,
    { timeout: 15_000 },
  );
  return output.evaluate((element: HTMLElement) => ({ ...element.dataset }) as { status: string; reason: string; error: string });
}
