// The gallery: each seed app in a phone frame, the native-host simulator behind it, and the
// receiver's listing. The apps run on their own origins (scripts/serve-demo.mjs gives each a
// port), so each has its own storage, device key and receipt chain, like apps on one phone.
//
// The "OS" of each phone is examples/simulator's createNativeHost (served from TypeScript by the
// demo server). The app page's host-shim.js relays the SDK's bridge strings to this window by
// postMessage; this page hands them to the simulator and posts its replies and events back.
import { renderDevices } from './receipts.js';

const APPS = {
  'lakala-pay': { name: '拉卡拉', en: 'Lakala Pay · POS and merchant acquiring', platform: 'android' },
  'lianlian-pay': { name: '连连支付', en: 'LianLian Pay · quick pay, online banking, remittance', platform: 'android' },
  kltong: { name: '开联通', en: 'KLTong · payment account', platform: 'android' },
  'e-yueche': { name: 'e约车', en: 'e-Yueche · State Grid EV travel', platform: 'android' },
  'leliao-card': { name: '乐聊名片', en: 'Leliao Card · WeChat mini-program (gov)', platform: 'wechat' },
};
/** What each platform's OS can be asked for (others answer E_UNKNOWN_PERMISSION: unavailable). */
const KINDS = {
  android: ['location', 'camera', 'microphone', 'bluetooth', 'contacts', 'storage', 'photos', 'notifications', 'phone_state'],
  ios: ['location', 'camera', 'microphone', 'bluetooth', 'contacts', 'photos', 'notifications', 'idfa_tracking'],
  // MP-01: a mini-program web-view has scope.userLocation, scope.camera, scope.bluetooth; no contacts.
  wechat: ['location', 'camera', 'microphone', 'bluetooth'],
};
const STATUSES = ['denied', 'granted', 'limited', 'blocked', 'unavailable'];
const STATUS_TEXT = { denied: '未授权（可询问）', granted: '允许', limited: '部分允许', blocked: '禁止（仅设置可改）', unavailable: '不可用' };
const POLL_MS = 3000;

const $ = (selector, root = document) => root.querySelector(selector);
const status = (text) => ($('#status').textContent = text);
const stored = (key, fallback) => {
  try {
    return JSON.parse(localStorage.getItem(key) ?? 'null') ?? fallback;
  } catch {
    return fallback;
  }
};
const store = (key, value) => {
  try {
    localStorage.setItem(key, JSON.stringify(value));
  } catch {
    /* private mode: the simulator forgets on reload */
  }
};

async function loadConfig() {
  try {
    const response = await fetch('/demo-config.json', { cache: 'no-store' });
    if (response.ok) return await response.json();
  } catch {
    /* not served by scripts/serve-demo.mjs */
  }
  const base = new URL('../apps/', location.href).href;
  return { receiver: { url: '/receipts', note: null }, apps: Object.keys(APPS).map((slug) => ({ slug, url: `${base}${slug}/index.html` })) };
}

async function loadSimulator() {
  try {
    const module = await import('../simulator/native-host.js');
    if (typeof module.createNativeHost !== 'function') throw new Error('examples/simulator/native-host exports no createNativeHost');
    return { createNativeHost: module.createNativeHost };
  } catch (error) {
    return { note: `模拟器不可用，应用改用浏览器自身的权限接口 · simulator unavailable (${error.message}); the apps use the browser's permission APIs` };
  }
}

/** Subjects the apps reported, so the receipts view can name each device's app. */
const subjects = stored('demo-gallery/subjects', {});
const policies = {};

function createPhone(app, simulator) {
  const meta = APPS[app.slug] ?? { name: app.slug, en: '', platform: 'android' };
  const card = $('#phone-template').content.firstElementChild.cloneNode(true);
  const frame = $('iframe', card);
  const origin = new URL(app.url).origin;
  const key = `demo-gallery/os/${app.slug}`;
  const log = $('.log', card);
  let saved = stored(key, { platform: meta.platform, mode: 'grant', os: {}, store: {} });
  let host;

  $('.app-name', card).textContent = meta.name;
  $('.app-en', card).textContent = meta.en;
  frame.title = `${meta.name} 演示应用`;
  $('.open', card).href = app.url;
  card.dataset.slug = app.slug;

  const line = (direction, text) => {
    const item = document.createElement('li');
    item.className = direction;
    item.textContent = `${new Date().toLocaleTimeString('zh-CN', { hour12: false })} ${direction === 'in' ? '←' : direction === 'out' ? '→' : '·'} ${text}`;
    log.prepend(item);
    while (log.children.length > 80) log.lastElementChild.remove();
  };
  const post = (message) => frame.contentWindow?.postMessage(message, origin);
  const send = (text) => {
    line('out', summarize(text));
    post({ type: 'inapp-consent-bridge', text });
  };

  const permissionKinds = () => [...new Set((policies[app.slug]?.permissions ?? []).map((permission) => permission.kind))];

  function makeHost() {
    host?.dispose?.();
    const created = simulator.createNativeHost({
      platform: saved.platform,
      kinds: KINDS[saved.platform],
      initial: saved.os,
      store: saved.store,
      onPersist: ({ os, store: native }) => {
        saved = { ...saved, os, store: native };
        store(key, saved);
        renderTable();
      },
    });
    for (const kind of permissionKinds().concat(KINDS[saved.platform])) created.script(kind, saved.mode);
    const stop = created.onEmit(send);
    host = Object.assign(created, { dispose: stop });
  }

  function renderTable() {
    const body = $('.os-table tbody', card);
    body.replaceChildren();
    if (!host) return;
    for (const kind of permissionKinds()) {
      const row = document.createElement('tr');
      const name = document.createElement('th');
      name.scope = 'row';
      const labels = (policies[app.slug]?.permissions ?? []).filter((permission) => permission.kind === kind).map((permission) => permission.label);
      name.textContent = `${kind}`;
      name.title = labels.join(' / ');
      const cell = document.createElement('td');
      const select = document.createElement('select');
      select.setAttribute('aria-label', `${kind} 的系统状态`);
      const known = KINDS[saved.platform].includes(kind);
      for (const value of STATUSES) select.add(new Option(STATUS_TEXT[value], value));
      select.value = known ? host.status(kind) : 'unavailable';
      select.disabled = !known;
      select.addEventListener('change', () => {
        host.setStatus(kind, select.value);
        line('note', `系统设置：${kind} → ${select.value}`);
        host.emit('permission.changed', { permission: kind, status: select.value });
        host.emit('app.resume');
      });
      cell.append(select);
      row.append(name, cell);
      body.append(row);
    }
  }

  function src(extra = '') {
    const url = new URL(app.url);
    url.searchParams.set('gallery', location.origin);
    if (host) url.searchParams.set('bridge', 'sim');
    if (extra) url.searchParams.set(extra, '1');
    return url.href;
  }

  // The simulator panel
  const note = $('.sim-note', card);
  if (simulator.note) {
    note.textContent = simulator.note;
    note.hidden = false;
    $('.sim-body', card).hidden = true;
  } else {
    const platform = $('[data-sim="platform"]', card);
    platform.value = saved.platform;
    platform.addEventListener('change', () => {
      saved = { ...saved, platform: platform.value };
      store(key, saved);
      makeHost();
      renderTable();
      line('note', `平台：${platform.value}（重新打开应用）`);
      frame.src = src();
    });
    for (const radio of card.querySelectorAll('.modes input')) {
      radio.name = `mode-${app.slug}`;
      radio.checked = radio.value === saved.mode;
      radio.addEventListener('change', () => {
        saved = { ...saved, mode: radio.value };
        store(key, saved);
        for (const kind of permissionKinds().concat(KINDS[saved.platform])) host.script(kind, saved.mode);
        line('note', `系统弹窗将：${radio.value}`);
      });
    }
    makeHost();
  }

  card.addEventListener('click', (event) => {
    const action = event.target.closest('[data-act]')?.dataset.act;
    if (!action) return;
    if (action === 'relaunch') frame.src = src();
    if (action === 'evict') {
      line('note', '清除网页存储（原生端镜像保留）');
      frame.src = src('reset');
    }
    if (action === 'reinstall') {
      line('note', '重新安装：网页存储与原生端数据全部清除');
      saved = { platform: saved.platform, mode: saved.mode, os: {}, store: {} };
      store(key, saved);
      if (host) makeHost();
      renderTable();
      frame.src = src('reset');
    }
    if (action === 'resume' && host) {
      line('note', 'app.resume');
      host.emit('app.resume');
    }
  });

  // Messages from this phone's frame
  window.addEventListener('message', (event) => {
    if (event.source !== frame.contentWindow || event.origin !== origin) return;
    const data = event.data;
    if (!data || typeof data !== 'object') return;
    if (data.type === 'inapp-consent-bridge' && typeof data.text === 'string' && host) {
      line('in', summarize(data.text));
      void host.handle(data.text).then((reply) => reply && send(reply));
    } else if (data.type === 'inapp-consent-demo' && data.kind === 'log') {
      line('note', String(data.detail));
    } else if (data.type === 'inapp-consent-demo' && data.kind === 'state') {
      const detail = data.detail ?? {};
      if (detail.subject && subjects[detail.subject] !== app.slug) {
        subjects[detail.subject] = app.slug;
        store('demo-gallery/subjects', subjects);
      }
      card.dataset.decision = detail.decision ?? '';
    }
  });

  fetch(new URL(`../policies/${app.slug}.json`, location.href))
    .then((response) => (response.ok ? response.json() : undefined))
    .then((policy) => {
      if (!policy) return;
      policies[app.slug] = policy;
      if (host) for (const kind of permissionKinds()) host.script(kind, saved.mode);
      renderTable();
    })
    .catch(() => undefined);

  frame.src = src();
  return card;
}

/** One bridge message as a short log line. */
function summarize(text) {
  try {
    const message = JSON.parse(text);
    const body = message.type === 'req' ? `${message.method} ${JSON.stringify(message.params ?? {})}` : message.type === 'res' ? `${message.error ? `error ${message.error.code}` : JSON.stringify(message.result)}` : `event ${message.event} ${JSON.stringify(message.data ?? {})}`;
    return body.length > 180 ? `${body.slice(0, 177)}…` : body;
  } catch {
    return String(text).slice(0, 120);
  }
}

/** App origin → slug: receipts' `iss` is the page origin, when the listing carries it. */
const origins = {};

async function pollReceipts(receiver) {
  const line = $('#receipts-status');
  if (!receiver.url) {
    line.textContent = `没有接收端 · no receiver: ${receiver.note ?? 'not configured'}. 回执保存在各设备上，稍后发送。`;
    return;
  }
  const tick = async () => {
    try {
      const response = await fetch(receiver.url, { cache: 'no-store' });
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      const listing = await response.json();
      renderDevices($('#devices'), listing, { subjects, apps: APPS, policies, origins });
      const total = (listing.devices ?? []).reduce((sum, device) => sum + (device.count ?? 0), 0);
      line.textContent = `${listing.devices?.length ?? 0} 台设备 · ${total} 条回执 · 每 ${POLL_MS / 1000} 秒刷新（${new Date().toLocaleTimeString('zh-CN', { hour12: false })}） · ${listing.devices?.length ?? 0} devices, ${total} receipts`;
    } catch (error) {
      line.textContent = `接收端无法访问 · receiver unreachable: ${error.message}`;
    }
  };
  await tick();
  setInterval(tick, POLL_MS);
}

const [config, simulator] = await Promise.all([loadConfig(), loadSimulator()]);
status(simulator.note ? simulator.note : '每部手机的“系统”由 examples/simulator 模拟 · each phone’s OS is examples/simulator');
const phones = $('#phones');
for (const app of config.apps) {
  origins[new URL(app.url).origin] = app.slug;
  phones.append(createPhone(app, simulator));
}
void pollReceipts(config.receiver);
