// The receipts view: the reference receiver's read-only listing (GET /receipts), one card per
// device key. Each listed receipt passed the receiver's signature check (ES256 over the JWS,
// kid = the key's thumbprint) before it was stored; the chain status is verifyChain's verdict
// over that device's receipts in order.

const EVENT_TEXT = { given: '同意', refused: '拒绝', withdrawn: '撤回', updated: '更新' };
const SURFACE_TEXT = {
  first_launch: '首次启动弹窗', privacy_center: '隐私设置', policy_change: '政策更新弹窗', separate_dialog: '单独同意弹窗',
  permission_prompt: '权限说明', host: '应用', jit: '使用功能时',
};
const short = (text, length = 10) => (typeof text === 'string' && text.length > length ? `${text.slice(0, length)}…` : String(text ?? ''));
const time = (seconds) => (typeof seconds === 'number' ? new Date(seconds * 1000).toLocaleTimeString('zh-CN', { hour12: false }) : '');

function el(tag, attributes = {}, children = []) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (name === 'text') node.textContent = value;
    else if (name === 'class') node.className = value;
    else node.setAttribute(name, value);
  }
  for (const child of children) if (child !== null && child !== undefined) node.append(child);
  return node;
}

function labelFor(policy, decision) {
  const id = decision.consentId ?? decision.purposeId;
  const list = decision.consentId ? policy?.separateConsents : policy?.purposes;
  const found = (list ?? []).find((entry) => entry.id === id);
  return found?.label ?? found?.title ?? id;
}

function receiptRow(receipt, policy) {
  const decisions = receipt.decisions ?? [];
  const granted = decisions.filter((decision) => decision.status === 'granted').length;
  const refused = decisions.length - granted;
  const event = receipt.event ?? {};
  // The listing may carry the permission outcome of a `permission` receipt (x.permission).
  const permission = receipt.permission ? ` · ${receipt.permission.id}: ${receipt.permission.osBefore ?? ''}→${receipt.permission.osAfter ?? ''}` : '';
  const counts = decisions.length || !permission ? ` · ${granted} 项同意 / ${refused} 项拒绝` : '';
  const what = el('details', {}, [
    el('summary', { text: `${EVENT_TEXT[event.type] ?? event.type ?? ''} · ${SURFACE_TEXT[event.surface] ?? event.surface ?? ''}${event.kind ? ` · ${event.kind}` : ''}${permission}${counts}` }),
    el('ul', {}, decisions.map((decision) => el('li', { class: decision.status, text: `${decision.status === 'granted' ? '✓' : '✗'} ${labelFor(policy, decision)}${decision.consentId ? '（单独同意）' : ''}` }))),
  ]);
  return el('tr', {}, [
    el('td', { text: `#${receipt.seq}` }),
    el('td', { text: time(receipt.receivedAt ?? receipt.iat) }),
    el('td', {}, [what]),
    el('td', { class: 'sig', title: `jti ${receipt.jti}`, text: receipt.signer === 'none' ? '未签名 unsigned' : `✓ ES256 · ${receipt.signer ?? ''}` }),
  ]);
}

/** Replaces the cards in `root` with the listing's devices, named by the subjects apps reported. */
export function renderDevices(root, listing, { subjects, apps, policies, origins = {} }) {
  const devices = [...(listing.devices ?? [])];
  const order = Object.keys(apps);
  // A device is named by the subject its app reported, or by the origin its receipts were issued on.
  const appOf = (device) => subjects[device.sub] ?? origins[device.iss] ?? origins[device.receipts?.[0]?.iss];
  const rank = (device) => (order.includes(appOf(device)) ? order.indexOf(appOf(device)) : order.length); // unknown devices last
  devices.sort((a, b) => rank(a) - rank(b) || String(a.kid).localeCompare(String(b.kid)));
  if (devices.length === 0) {
    root.replaceChildren(el('p', { class: 'empty', text: '还没有回执：在任一应用中点“同意”或“不同意”后，回执会出现在这里。 · No receipts yet: decide in any app.' }));
    return;
  }
  // Keep open <details> open across refreshes.
  const open = new Set([...root.querySelectorAll('details[open]')].map((node) => node.dataset.key));
  root.replaceChildren(
    ...devices.map((device) => {
      const slug = appOf(device);
      const app = apps[slug];
      const receipts = device.receipts ?? [];
      const bad = (device.count ?? receipts.length) - receipts.length;
      const chain = device.chain ?? {};
      const body = el('table', {}, [
        el('thead', {}, [el('tr', {}, ['序号 seq', '接收时间 received', '决定 decisions', '签名 signature'].map((text) => el('th', { scope: 'col', text })))]),
        el('tbody', {}, receipts.map((receipt) => receiptRow(receipt, policies[slug]))),
      ]);
      const problems = (chain.problems ?? []).map((problem) => el('li', { text: `${problem.path ?? ''} ${problem.message ?? problem}` }));
      const details = el('details', {}, [el('summary', { text: `${receipts.length} 条回执 · receipts` }), body]);
      details.dataset.key = device.kid;
      if (open.has(device.kid)) details.open = true;
      return el('article', { class: `device ${chain.valid ? 'valid' : 'invalid'}` }, [
        el('header', {}, [
          el('h3', { text: app ? app.name : '未知应用 · unknown app' }),
          el('p', { class: 'ids', text: `设备密钥 kid ${short(device.kid, 12)} · 主体 sub ${short(device.sub, 12)}` }),
        ]),
        el('p', { class: 'badges' }, [
          el('span', { class: chain.valid ? 'badge ok' : 'badge bad', text: chain.valid ? '✓ 哈希链完整 chain intact' : '✗ 哈希链有问题 chain broken' }),
          el('span', { class: bad > 0 ? 'badge bad' : 'badge ok', text: bad > 0 ? `✗ ${bad} 条签名无效` : `✓ ${receipts.length} 条签名有效 signatures verified` }),
          el('span', { class: 'badge', text: `链头 head #${device.headSeq ?? '–'}` }),
        ]),
        problems.length ? el('ul', { class: 'problems' }, problems) : null,
        details,
      ]);
    }),
  );
}
