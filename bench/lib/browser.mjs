// Chromium for the benchmark: Debian's build through playwright-core (the launch flags of
// test/helpers/browser.ts), a phone-sized context, CDP for CPU throttling, metrics and GC.
import { createRequire } from 'node:module';
import { join } from 'node:path';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export async function launch(root) {
  const require = createRequire(join(root, 'package.json'));
  const playwright = await import(require.resolve('playwright-core'));
  const chromium = playwright.chromium ?? playwright.default.chromium;
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: [
      '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
      '--disable-sync', '--disable-quic', '--no-first-run',
      // Exposes gc() nowhere to pages; heap is measured after CDP HeapProfiler.collectGarbage.
    ],
  });
}

/** 360×640, the smallest common Android viewport, as test/helpers/browser.ts phoneContext. */
export function phoneContext(browser) {
  return browser.newContext({ viewport: { width: 360, height: 640 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true, locale: 'zh-CN' });
}

/** A new page with a CDP session, the CPU slowed down `rate` times before anything loads. */
export async function throttledPage(context, rate) {
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('Emulation.setCPUThrottlingRate', { rate });
  await cdp.send('Performance.enable', { timeDomain: 'timeTicks' });
  return { page, cdp };
}

export async function metrics(cdp) {
  const { metrics: list } = await cdp.send('Performance.getMetrics');
  return Object.fromEntries(list.map((metric) => [metric.name, metric.value]));
}

/** JSHeapUsedSize after two forced full GCs. */
export async function heapAfterGc(cdp) {
  await cdp.send('HeapProfiler.enable');
  await cdp.send('HeapProfiler.collectGarbage');
  await cdp.send('HeapProfiler.collectGarbage');
  return (await metrics(cdp)).JSHeapUsedSize;
}

/**
 * Injected before any page script (Page.addScriptToEvaluateOnNewDocument). It records every
 * open shadow root as it is attached, then checks on every animation frame whether an element
 * matching the selector, in the document or in any open shadow root, has a non-empty box and
 * is not hidden (display/visibility/content-visibility; opacity is ignored, so a fade-in counts
 * from its first frame). The first such frame's performance.now() — milliseconds since this
 * document's navigation start — is the time to dialog.
 */
export function dialogProbe(selector, { watch = true } = {}) {
  return `(() => {
  const selector = ${JSON.stringify(selector)};
  const watch = ${watch ? 'true' : 'false'};
  const roots = [];
  const attach = Element.prototype.attachShadow;
  Element.prototype.attachShadow = function (init) {
    const root = attach.call(this, init);
    if (init && init.mode === 'open') roots.push(root);
    return root;
  };
  const bench = (window.__bench = window.__bench || {});
  bench.errors = [];
  addEventListener('error', (event) => bench.errors.push(String(event.message)));
  addEventListener('unhandledrejection', (event) => bench.errors.push(String(event.reason && (event.reason.stack || event.reason.message) || event.reason)));
  const shown = (element) => {
    if (!element) return false;
    const box = element.getBoundingClientRect();
    return box.width > 0 && box.height > 0 && element.checkVisibility({ visibilityProperty: true, contentVisibilityAuto: true });
  };
  const find = () => {
    for (const element of document.querySelectorAll(selector)) if (shown(element)) return element;
    for (const root of roots) for (const element of root.querySelectorAll(selector)) if (shown(element)) return element;
    return undefined;
  };
  bench.shadowRoots = () => roots.length;
  bench.visibleDialog = () => Boolean(find());
  let found;
  bench.dialog = new Promise((resolve) => (found = resolve));
  const tick = (frameTime) => {
    const element = find();
    if (element) {
      bench.dialogAt = performance.now();
      bench.dialogFrameTime = frameTime;
      bench.dialogInShadow = element.getRootNode() !== document;
      const labelledBy = element.getAttribute('aria-labelledby');
      const labelElement = labelledBy && element.getRootNode().getElementById && element.getRootNode().getElementById(labelledBy.split(' ')[0]);
      bench.dialogLabel = (element.getAttribute('aria-label') || (labelElement && labelElement.textContent) || '').trim().slice(0, 60);
      found(bench.dialogAt);
      return;
    }
    requestAnimationFrame(tick);
  };
  // watch: false checks only on demand (bench.visibleDialog()), so no frame is forced.
  if (watch) requestAnimationFrame(tick);
})();`;
}

/**
 * Waits, inside the page, for a promise the page exposes (one CDP call that stays pending, so
 * nothing polls the throttled main thread); undefined when it did not settle within the time.
 */
export async function awaitInPage(page, expression, timeoutMs) {
  return page
    .evaluate(
      ([source, ms]) => {
        const read = () => { try { return (0, eval)(source); } catch { return undefined; } };
        return new Promise((resolve) => {
          const timer = setTimeout(() => resolve(undefined), ms);
          const start = () => {
            const value = read();
            if (value === undefined) return void setTimeout(start, 50);
            Promise.resolve(value).then((result) => { clearTimeout(timer); resolve(result); }, (error) => { clearTimeout(timer); resolve({ error: String(error) }); });
          };
          start();
        });
      },
      [expression, timeoutMs],
    )
    .catch((error) => ({ error: String(error) }));
}

/** Trace categories for mainThreadTime: top-level tasks and the timeline's page events. */
export const TRACE_CATEGORIES = ['toplevel', 'devtools.timeline', 'disabled-by-default-devtools.timeline'];

/**
 * Main-thread time of one page from a Chromium trace: the top-level tasks (RunTask) of the
 * renderer main thread that parsed `pathPart`, nested ones dropped. `cpu` sums their thread
 * time (tdur: time the thread actually ran, so a busy machine descheduling the renderer does not
 * inflate it), `wall` their durations. Other renderers in the trace (a page closing) are ignored.
 */
export function mainThreadTime(traceBuffer, pathPart) {
  const { traceEvents } = JSON.parse(traceBuffer.toString('utf8'));
  const mains = new Set(traceEvents.filter((event) => event.name === 'thread_name' && event.args?.name === 'CrRendererMain').map((event) => `${event.pid}:${event.tid}`));
  const parse = traceEvents.find((event) => event.name === 'ParseHTML' && mains.has(`${event.pid}:${event.tid}`) && String(event.args?.beginData?.url ?? '').includes(pathPart));
  if (!parse) return { cpu: NaN, wall: NaN, tasks: 0 };
  const thread = `${parse.pid}:${parse.tid}`;
  const tasks = traceEvents
    .filter((event) => `${event.pid}:${event.tid}` === thread && event.ph === 'X' && (event.name === 'ThreadControllerImpl::RunTask' || event.name === 'RunTask'))
    .sort((a, b) => a.ts - b.ts);
  let cpu = 0;
  let wall = 0;
  let count = 0;
  let end = -Infinity;
  for (const task of tasks) {
    if (task.ts < end) continue; // nested inside the previous top-level task
    end = task.ts + task.dur;
    cpu += task.tdur ?? 0;
    wall += task.dur;
    count += 1;
  }
  return { cpu: cpu / 1000, wall: wall / 1000, tasks: count };
}
