import { installSimulator, type SimulatedTransport } from '../../../../examples/simulator/install.js';
import { createNativeHost, type OsStatus } from '../../../../examples/simulator/native-host.js';
import type { PolicyDocument } from '../../../../src/core/policy-types.js';
import { createConsent } from '../../../../src/headless.js';
import { showRationale } from './prompt.js';

/**
 * The bridge test app: a seed policy's features as buttons, the SDK over a real transport
 * (react-native / webkit / android globals) whose native end is the simulator. Native state
 * comes from, and goes back to, the test process (`nativeLoad` / `nativePersist`), which plays
 * the phone's own storage: it outlives the webview's.
 */
type NativeState = { os?: Record<string, OsStatus>; store?: Record<string, unknown> };
const page = window as unknown as {
  nativeLoad?: () => Promise<NativeState>;
  nativePersist?: (state: NativeState) => void;
  app?: unknown;
};

const params = new URLSearchParams(location.search);
const native = (await page.nativeLoad?.()) ?? {};
const sim = createNativeHost({
  answers: JSON.parse(params.get('answers') ?? '{}') as Record<string, never>,
  ...(native.os ? { initial: native.os } : {}),
  ...(native.store ? { store: native.store } : {}),
  onPersist: (state) => page.nativePersist?.(state),
});
const transport = params.get('transport') ?? 'react-native';
// `none`: no native host at all, as in a plain browser: the web fallback answers.
if (transport !== 'none') installSimulator(sim, transport as SimulatedTransport);

const offset = Number(params.get('offset') ?? 0);
const policy = (await (await fetch(`policies/${params.get('policy') ?? 'lakala-pay'}.json`)).json()) as PolicyDocument;
const consent = createConsent({
  policy,
  now: () => Date.now() + offset,
  rationale: showRationale,
  bridge: { transport: 'auto', timeouts: { 'permission.request': Number(params.get('requestTimeout') ?? 120_000) } },
});
const log = { decisions: [] as unknown[], errors: [] as { code: string; message: string }[], receipts: 0 };
consent.on('decision', (event) => log.decisions.push(event));
consent.on('error', (error) => log.errors.push({ code: error.code, message: error.message }));
consent.on('receipt', () => log.receipts++);
await consent.ready;
if (consent.needsConsent) await consent.agree();

const app = document.getElementById('app')!;
const permissionsOf = (featureId: string) =>
  policy.permissions.filter((permission) => permission.features.includes(featureId) || policy.features.find((feature) => feature.id === featureId)?.permissions?.includes(permission.id));

async function start(featureId: string, permissionId: string, row: HTMLElement, userInitiated: boolean) {
  const output = row.querySelector('output')!;
  row.querySelector('.again')?.remove();
  const result = await consent.requestPermission(permissionId, { feature: featureId, userInitiated });
  output.textContent = `${result.status} · ${result.reason}${result.error ? ` · ${result.error.code}` : ''}`;
  Object.assign(output.dataset, { status: result.status, reason: result.reason, error: result.error?.code ?? '', runs: String(Number(output.dataset.runs ?? 0) + 1) });
  // PP-06 / PP-05: only a visible button the person taps re-asks (userInitiated).
  const label = result.status === 'blocked' ? '去设置' : result.reason === 'cooldown' || result.reason === 'not_now' ? '去开启' : undefined;
  if (label) {
    const again = Object.assign(document.createElement('button'), { type: 'button', className: 'again', textContent: label });
    again.addEventListener('click', () => void start(featureId, permissionId, row, true));
    output.before(again);
  }
}

for (const feature of policy.features) {
  const needs = permissionsOf(feature.id);
  for (const permission of needs.length ? needs : [undefined]) {
    const row = Object.assign(document.createElement('div'), { className: 'row' });
    row.dataset.feature = feature.id;
    if (permission) row.dataset.permission = permission.id;
    const button = Object.assign(document.createElement('button'), {
      type: 'button',
      textContent: permission ? `${feature.label}（${permission.label}）` : `使用${feature.label}`,
    });
    const output = document.createElement('output');
    button.addEventListener('click', () => {
      if (permission) void start(feature.id, permission.id, row, false);
      else Object.assign(output, { textContent: '可用' }).dataset.status = 'usable';
    });
    row.append(button, output);
    app.append(row);
  }
}
app.setAttribute('aria-busy', 'false');
page.app = { consent, sim, log, ready: true };
