import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { expect } from 'vitest';
import { startStaticServer, type StaticServer } from '../helpers/static-server.js';

/** Shared by the widget's end-to-end files: the seed pages, the server and the checks. */

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const IIFE = `${ROOT}dist/inapp-consent.iife.js`;
const AXE = `${ROOT}node_modules/axe-core/axe.min.js`;

/** Every seed policy in examples/policies, as the other issue writes them. */
export const SEEDS = readdirSync(`${ROOT}examples/policies`)
  .filter((file) => file.endsWith('.json'))
  .map((file) => file.replace(/\.json$/, ''))
  .sort();

export const policyOf = (seed: string) => JSON.parse(readFileSync(`${ROOT}examples/policies/${seed}.json`, 'utf8')) as {
  policy: { title: string };
  purposes: { id: string; consentMode: string; isPersonalization?: boolean; label: string }[];
  separateConsents: { id: string; title: string; purposeId?: string }[];
  permissions: { id: string; kind: string; label: string; features: string[] }[];
};

interface PageOptions {
  readonly csp?: boolean;
  readonly hostile?: boolean;
  readonly theme?: string;
  readonly policy?: string;
}

/** The host app's page: its own CSS and script, and the one script tag of the quickstart. */
function pageHtml(seed: string, options: PageOptions): string {
  const theme = options.theme ? ` data-theme="${options.theme}"` : '';
  return `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${seed}</title><link rel="stylesheet" href="/test/e2e/pages/widget/host.css">${options.hostile ? '<link rel="stylesheet" href="/test/e2e/pages/widget/hostile.css">' : ''}</head>
<body><header>示例应用</header><main><div class="card">首页内容，无需个人信息即可浏览。</div>
<button id="settings" type="button">隐私设置</button></main>
<script src="/dist/inapp-consent.iife.js" data-policy="${options.policy ?? `/examples/policies/${seed}.json`}" data-endpoint="/consent/receipts"${theme} defer></script>
<script src="/test/e2e/pages/widget/host.js" defer></script>
</body></html>`;
}

export interface WidgetServer extends StaticServer {
  /** Receipts POSTed to the endpoint so far. */
  readonly receipts: () => number;
}

/**
 * Serves the repository root, plus per seed `/seed/NAME/` (and `/csp/NAME/` with
 * `Content-Security-Policy: default-src 'self'`, `/hostile/NAME/` with page CSS that attacks
 * the widget, `/dark/NAME/` with `data-theme="dark"`, `/age/NAME/` with the age gate on), each
 * with its `full-text.html`; `/bad/` points at an invalid policy; the receipts endpoint
 * answers 204.
 */
export async function startWidgetServer(): Promise<WidgetServer> {
  let receipts = 0;
  const html = (body: string, csp: boolean) => (_request: unknown, response: import('node:http').ServerResponse) => {
    response.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store', ...(csp ? { 'content-security-policy': "default-src 'self'" } : {}) });
    response.end(body);
  };
  const fullText = '<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>隐私政策全文</title></head><body><h1>隐私政策全文</h1></body></html>';
  const routes: Parameters<typeof startStaticServer>[1] extends infer O ? NonNullable<O extends { routes?: infer R } ? R : never> : never = {
    '/favicon.ico': (_request, response) => void response.writeHead(204).end(),
    '/consent/receipts': (request, response) => {
      request.resume();
      request.on('end', () => {
        receipts++;
        response.writeHead(204).end();
      });
    },
    '/bad/': html(pageHtml('bad', { policy: '/bad/policy.json' }), false),
    '/bad/policy.json': (_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ schemaVersion: '1', locale: 'zh-CN', policy: { id: 'x' } }));
    },
  };
  for (const seed of SEEDS) {
    for (const [prefix, options] of [['seed', {}], ['csp', { csp: true }], ['hostile', { hostile: true }], ['dark', { theme: 'dark' }]] as const) {
      routes[`/${prefix}/${seed}/`] = html(pageHtml(seed, options), 'csp' in options);
      routes[`/${prefix}/${seed}/full-text.html`] = html(fullText, 'csp' in options);
    }
    // The seed with the age gate switched on, for the age and guardian dialogs (MN-01, MN-02).
    routes[`/age/${seed}/`] = html(pageHtml(seed, { policy: `/age/${seed}/policy.json` }), false);
    routes[`/age/${seed}/full-text.html`] = html(fullText, false);
    routes[`/age/${seed}/policy.json`] = (_request, response) => {
      const policy = JSON.parse(readFileSync(`${ROOT}examples/policies/${seed}.json`, 'utf8'));
      policy.minors = { ...policy.minors, ageGate: true, guardianConsentBelow: 14 };
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify(policy));
    };
  }
  const server = await startStaticServer(ROOT, { routes });
  return { ...server, receipts: () => receipts };
}

type AxeResult = { violations: { id: string; help: string; nodes: { target: unknown[] }[] }[] };

/** axe-core over the widget (its shadow root included): WCAG 2.0–2.2 A and AA. */
export async function expectNoAxeViolations(page: Page, surface: string): Promise<void> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.addScriptTag({ path: AXE });
  // A dialog still fading in would be measured at part opacity.
  await page.evaluate(() => Promise.all(document.querySelector('inapp-consent')?.shadowRoot?.getAnimations().map((animation) => animation.finished) ?? []));
  const violations = await page.evaluate(async () => {
    const { axe } = window as unknown as { axe: { run(context: unknown, options: unknown): Promise<AxeResult> } };
    const result = await axe.run({ include: [['inapp-consent']] }, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'] } });
    return result.violations.map((violation) => `${violation.id}: ${violation.help} (${violation.nodes.slice(0, 3).map((node) => JSON.stringify(node.target)).join(', ')})`);
  });
  expect(violations.join('\n'), `axe on ${surface}`).toBe('');
}

/** The button is wholly inside the 360×640 viewport, with no scrolling. */
export async function expectInViewport(page: Page, name: string): Promise<void> {
  const box = await page.getByRole('button', { name, exact: true }).boundingBox();
  expect(box, name).not.toBeNull();
  expect(box!.x).toBeGreaterThanOrEqual(0);
  expect(box!.y).toBeGreaterThanOrEqual(0);
  expect(box!.x + box!.width).toBeLessThanOrEqual(360);
  expect(box!.y + box!.height).toBeLessThanOrEqual(640);
  expect(box!.height).toBeGreaterThanOrEqual(44);
}

/** Reads the running instance in the page. */
export const decisionOf = (page: Page) =>
  page.evaluate(() => (window as unknown as { InAppConsent: { ready: Promise<{ state: { value: { decision: string } } } | undefined> } }).InAppConsent.ready.then((consent) => consent?.state.value.decision));

export const isGranted = (page: Page, id: string) =>
  page.evaluate((purposeId) => (window as unknown as { InAppConsent: { instance: { isGranted(id: string): boolean } } }).InAppConsent.instance.isGranted(purposeId), id);

/**
 * Resolves in the page once the next decision is stored and its receipt made (the instance's
 * `decision` event comes after both), so a reload cannot race the write.
 */
export async function nextDecision(page: Page, act: () => Promise<void>): Promise<void> {
  await page.evaluate(() => {
    const scope = window as unknown as { InAppConsent: { instance: { on(type: string, listener: () => void): () => void } }; decided?: Promise<void> };
    scope.decided = new Promise((resolve) => {
      const stop = scope.InAppConsent.instance.on('decision', () => {
        stop();
        resolve();
      });
    });
  });
  await act();
  await page.evaluate(() => (window as unknown as { decided: Promise<void> }).decided);
}
