import { computed, signal, type ReadonlySignal } from '@preact/signals-core';
import { reduce } from '../core/decisions.js';
import { EMPTY_DECISIONS, type ConsentAction, type ConsentState, type DecisionEvent, type PermissionStatus, type Surface } from '../core/decision-types.js';
import { ConsentError } from '../core/errors.js';
import type { KeyValueStore } from '../core/ports.js';
import { preparePolicy } from '../core/policy-prepare.js';
import type { PolicyDocument } from '../core/policy-types.js';
import { parsePolicy } from '../core/policy-validate.js';
import { createRecord, INSTALL_ID_KEY, readRecord, recordKey } from '../core/stored-record.js';
import { createIndexedDbStore } from '../storage/indexeddb.js';
import { createMemoryStore } from '../storage/memory.js';
import { createResilientStore } from '../storage/resilient-store.js';
import type { OutboxEntry } from '../core/outbox.js';
import { createReceiptService } from '../sync/receipt-service.js';
import { attachNative } from '../permissions/attach.js';
import { createEmitter } from './emitter.js';
import { checkOptions, type ConsentOptions } from './options.js';
import { randomId } from './random-id.js';
import { toSnapshot, type ConsentSnapshot } from './snapshot.js';
import type { ConsentInstance } from './instance.js';

interface Events extends Record<string, unknown> {
  change: ConsentSnapshot;
  error: ConsentError;
  decision: DecisionEvent;
  receipt: OutboxEntry;
}

/**
 * Creates a consent instance for one policy. Validation is synchronous: bad options or a
 * malformed policy throw a `ConsentError` naming every problem. Storage is read in the
 * background (`ready`); until it is, nothing is granted.
 *
 * @example
 * const consent = createConsent({ policy, endpoint: 'https://app.example/consent/receipts' });
 * await consent.ready;
 * if (consent.needsConsent) await consent.showFirstLaunch();
 * if (consent.isGranted('marketing')) startPush();
 */
export function createConsent(options: ConsentOptions): ConsentInstance {
  const { policy: document, storage = 'indexeddb', now = Date.now } = checkOptions(options);
  let prepared = preparePolicy(parsePolicy(document));
  const events = createEmitter<Events>((error, type) => {
    if (type === 'error') setTimeout(() => { throw error; });
    else events.emit('error', new ConsentError('listener-failed', `inapp-consent: a "${String(type)}" listener threw`, { cause: error }));
  });
  const report = (error: ConsentError) => events.emit('error', error);
  const primary: KeyValueStore = storage === 'indexeddb' ? createIndexedDbStore() : storage === 'memory' ? createMemoryStore() : { ...storage, kind: 'custom' };
  // The bridge, the native mirror and the permission flow (issue 5); see permissions/attach.ts.
  const native = attachNative({
    bridge: options.bridge, rationale: options.rationale, policyId: prepared.document.policy.id, now, report,
    ready: () => ready,
    policy: () => prepared.document,
    records: () => state.value.decisions.permissions,
    record: (permissionId, status, choice, surface) => dispatch({ type: 'record-permission', permissionId, status, surface, ...(choice ? { choice } : {}) }),
    store: () => store,
  });
  events.on('change', (current) => native.put(current));
  const resilient = native.wrapStore(createResilientStore(primary, report));
  let store: KeyValueStore = resilient;
  const policyId = prepared.document.policy.id;
  const origin = typeof location === 'undefined' ? '' : location.origin;
  const receipts = createReceiptService({
    endpoint: options.endpoint, fetch: options.fetch, hostSigner: options.signer, resumeSignal: options.resumeSignal ?? native.onResume,
    persistent: () => storage !== 'memory' && !(storage === 'indexeddb' && resilient.degraded), now, ids: randomId, report, onReceipt: (entry) => events.emit('receipt', entry),
    iss: options.iss ?? (/^https?:/.test(origin) ? origin : `urn:inapp-consent:${policyId}`),
  });
  // Kantara's policyUrl must be absolute; the policy may name its full text relative to the page.
  const policyUrl = () => {
    const url = prepared.document.policy.fullTextUrl ?? '';
    try {
      return typeof location === 'undefined' ? url : new URL(url, location.href).href;
    } catch {
      return url;
    }
  };

  const state = signal<ConsentState>({ policy: prepared, decisions: EMPTY_DECISIONS });
  const isReady = signal(false);
  const subject = signal(options.subject ?? '');
  const degraded = signal(false);
  const snapshot = computed(() => toSnapshot(state.value, isReady.value, subject.value, degraded.value));
  const granted = computed(() => snapshot.value.granted);
  let destroyed = false;

  const publish = () => {
    degraded.value = resilient.degraded || store !== resilient;
    const current = snapshot.value;
    events.emit('change', current);
    if (typeof window !== 'undefined' && typeof CustomEvent === 'function') {
      window.dispatchEvent(new CustomEvent('inappconsent:change', { detail: current }));
    }
  };

  const ready = (async () => {
    const key = recordKey(prepared.document.policy.id);
    const [raw, storedId] = await Promise.all([store.get(key), options.subject ? undefined : store.get(INSTALL_ID_KEY)]);
    const read = readRecord(raw);
    if (read.kind === 'ok') state.value = { policy: prepared, decisions: read.record.decisions };
    if (read.kind === 'newer') {
      // Written by a newer SDK (the app was downgraded): never overwrite it, work in memory.
      store = createMemoryStore();
      report(new ConsentError('storage-record-unknown-version', `inapp-consent: stored decisions have version ${read.version}, newer than this SDK reads; they are left untouched and this session works in memory`));
    }
    if (read.kind === 'corrupt') {
      // Keep the unreadable record for support and recovery rather than deleting it.
      await store.set(`${key}/corrupt/${now()}`, raw);
      report(new ConsentError('storage-record-corrupt', `inapp-consent: stored decisions could not be read (${read.problems[0]?.path}: ${read.problems[0]?.message}); they were set aside and consent will be asked again`, { problems: read.problems }));
    }
    if (!options.subject) {
      subject.value = typeof storedId === 'string' && storedId ? storedId : randomId();
      if (subject.value !== storedId) await store.set(INSTALL_ID_KEY, subject.value);
    }
    isReady.value = true;
    publish();
    // Sends what earlier sessions left pending; with none, no request is made (FL-01).
    if (!destroyed) receipts.start();
  })().catch((cause) => {
    // Only a bug lands here (storage failures are absorbed above); stay usable and say so.
    isReady.value = true;
    report(cause instanceof ConsentError ? cause : new ConsentError('storage-unavailable', 'inapp-consent: restoring decisions failed', { cause }));
  });

  let queue: Promise<unknown> = ready;
  const dispatch = (action: ConsentAction): Promise<void> => {
    if (destroyed) return Promise.reject(new ConsentError('destroyed', 'inapp-consent: this instance was destroyed'));
    const run = queue.then(async () => {
      const before = state.value.decisions;
      const transition = reduce(state.value, action, now());
      // The new state is visible before it is stored: withdrawal takes effect at once (WD-01).
      state.value = transition.state;
      for (const effect of transition.effects) {
        if (effect.type === 'persist') await store.set(recordKey(prepared.document.policy.id), createRecord(prepared.document.policy.id, transition.state.decisions, now()));
        else {
          // Awaited: when an action settles, its receipt is signed and stored (never lost to a reload).
          await receipts.record({ event: effect.event, before, state: transition.state, sub: subject.value, policyUrl: policyUrl() });
          events.emit('decision', effect.event);
        }
      }
      if (transition.effects.length > 0 || action.type === 'load-policy') publish();
    });
    queue = run.catch(() => undefined);
    return run;
  };

  const setGrant = (id: string, grantedNow: boolean, surface: Surface) => {
    if (prepared.separateConsents.has(id)) return dispatch({ type: 'set-separate-consent', consentId: id, granted: grantedNow, surface });
    return dispatch({ type: 'set-purpose', purposeId: id, granted: grantedNow, surface });
  };

  return {
    ready: ready.then(() => undefined),
    get policy(): PolicyDocument {
      return prepared.document;
    },
    get state(): ReadonlySignal<ConsentSnapshot> {
      return snapshot;
    },
    get needsConsent() {
      return snapshot.value.needsConsent;
    },
    isGranted: (id) => granted.value[id] === true,
    subscribe(listener) {
      let first = true;
      return snapshot.subscribe((value) => {
        if (first) return void (first = false);
        listener(value);
      });
    },
    on: (type, listener) => events.on(type, listener as never),
    agree: (surface = 'first_launch') => dispatch({ type: 'agree-basic', surface }),
    decline: (surface = 'first_launch') => dispatch({ type: 'decline-basic', surface }),
    dismiss: () => dispatch({ type: 'dismiss' }),
    setPurpose: (purposeId, on, surface = 'privacy_center') => dispatch({ type: 'set-purpose', purposeId, granted: on, surface }),
    grant: (id, surface = 'separate_dialog') => setGrant(id, true, surface),
    withdraw: (id, surface = 'privacy_center') => setGrant(id, false, surface),
    agreeChanges: (optionalPurposeIds = [], surface = 'policy_change') => dispatch({ type: 'agree-changes', optionalPurposeIds, surface }),
    declineChanges: (surface = 'policy_change') => dispatch({ type: 'decline-changes', surface }),
    recordPermission: (permissionId: string, status: PermissionStatus, choice?: 'continue' | 'not_now') =>
      dispatch({ type: 'record-permission', permissionId, status, surface: 'permission_prompt', ...(choice ? { choice } : {}) }),
    updatePolicy(next) {
      const policy = preparePolicy(parsePolicy(next));
      if (policy.document.policy.id !== prepared.document.policy.id) {
        throw new ConsentError('invalid-policy', `inapp-consent: policy.id "${policy.document.policy.id}" differs from "${prepared.document.policy.id}"; create a new instance for another policy`);
      }
      prepared = policy;
      return dispatch({ type: 'load-policy', policy });
    },
    flush: () => receipts.flush(),
    pendingReceipts: () => receipts.list('pending'),
    deadReceipts: () => receipts.list('dead'),
    requestPermission: (permissionId, request) => native.requester.request(permissionId, request),
    openPermissionSettings: (permissionId) => native.requester.openSettings(permissionId),
    onResume: (listener) => native.onResume(listener),
    destroy() {
      destroyed = true;
      native.close();
      receipts.stop();
      events.clear();
    },
  };
}
