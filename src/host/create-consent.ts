import { computed, signal, type ReadonlySignal } from '@preact/signals-core';
import { EMPTY_DECISIONS, type ConsentAction, type ConsentState, type DecisionEvent, type Decisions, type Transition } from '../core/decision-types.js';
import { ConsentError } from '../core/errors.js';
import type { AtomicStore, KeyValueStore } from '../core/ports.js';
import { hashPolicy, withHashes, type PolicyHashes } from '../core/policy-hash.js';
import { seenPolicy } from './seen-policy.js';
import type { PolicyDocument } from '../core/policy-types.js';
import { parsePolicy } from '../core/policy-validate.js';
import { createRecord, INSTALL_ID_KEY, readRecord, recordKey, type Unreceipted } from '../core/stored-record.js';
import { createIndexedDbStore } from '../storage/indexeddb.js';
import { createMemoryStore } from '../storage/memory.js';
import { createResilientStore } from '../storage/resilient-store.js';
// Static, never `import()`: a decision is persisted before anything lazy is awaited (a chunk that
// fails to load must not cost a decision).
import { saveDecisions } from '../storage/save-decisions.js';
import type { OutboxEntry } from '../core/outbox.js';
import { receiptsLoader } from './receipts-loader.js';
import { digestHex } from './digest.js';
import { nativeMayHold } from './native-hint.js';
import { createDispatcher } from './dispatcher.js';
import { createNativeLink } from './native-link.js';
import { createEmitter } from './emitter.js';
import { checkOptions, type ConsentOptions } from './options.js';
import { randomId } from './random-id.js';
import { absoluteUrl } from './absolute-url.js';
import { decisionActions } from './decision-actions.js';
import { toSnapshot, type ConsentSnapshot } from './snapshot.js';
import type { ConsentInstance } from './instance.js';

/** Stands in until the policy is hashed, before `ready`: never compared or stored. */
const UNHASHED: PolicyHashes = { policy: '', purposes: {}, separateConsents: {} };

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
  const indexedDb = storage === 'indexeddb' ? createIndexedDbStore() : undefined;
  indexedDb?.warm();
  const seen = seenPolicy(document, storage === 'indexeddb');
  let current = seen.document;
  // Hashed while storage is read (in `ready`, by WebCrypto): nothing reads a hash before `ready`
  // (no snapshot grants anything and no action runs until then), so the placeholder below is
  // never compared with a stored one.
  let prepared = withHashes(current, UNHASHED);
  const events = createEmitter<Events>((error, type) => {
    if (type === 'error') setTimeout(() => { throw error; });
    else events.emit('error', new ConsentError('listener-failed', `inapp-consent: a "${String(type)}" listener threw`, { cause: error }));
  });
  const report = (error: ConsentError) => events.emit('error', error);
  const primary: KeyValueStore = indexedDb ?? (storage === 'memory' ? createMemoryStore() : { ...(storage as KeyValueStore), kind: 'custom' });
  const resilient = createResilientStore(primary, report);
  let store: AtomicStore = resilient;
  // Set when stored decisions are set aside for this session (a record from a newer SDK).
  let inMemory = false;
  const policyId = current.policy.id;
  const key = recordKey(policyId);
  const { withNative, mirror, onResume, close: closeNative } = createNativeLink({
    parts: {
      bridge: options.bridge, rationale: options.rationale, policyId, now, report,
      ready: () => ready,
      policy: () => current,
      records: () => state.value.decisions.permissions,
      record: (permissionId, status, choice, surface) => dispatch({ type: 'record-permission', permissionId, status, surface, ...(choice ? { choice } : {}) }),
      store: () => store,
    },
    resilient, key,
    // A session working in memory stays so.
    mirrored: (wrapped) => void (inMemory || (store = wrapped)),
    destroyed: () => destroyed,
  });
  // Sent each change, and each record stored (a change is shown before its record is stored).
  events.on('change', mirror);
  // Receipts: signing, the outbox and sync, loaded after `ready` (nothing is sent before a
  // decision, and a decision is persisted before its receipt is awaited).
  const receipts = receiptsLoader({
    policyId, store: () => store,
    // Another instance saved: adopt what it decided (no receipt here: the deciding one made it).
    // In the queue, so it never interleaves with a save of ours.
    // Not once destroyed: reading would make a failed store write back what this instance kept.
    // Merged into the decisions as stored; ours dispatched and not yet saved stay on top.
    adopt: (merge) => void (destroyed || enqueue(async () => {
      const ours = decisions.settled().decisions;
      const merged = await merge(ours);
      if (destroyed || merged === ours) return;
      decisions.adopt(merged);
    })),
    endpoint: options.endpoint, fetch: options.fetch, hostSigner: options.signer, resumeSignal: options.resumeSignal ?? onResume, iss: options.iss,
    persistent: () => storage !== 'memory' && !(storage === 'indexeddb' && resilient.degraded), now, ids: randomId, report, onReceipt: (entry) => events.emit('receipt', entry),
  });
  const withReceipts = receipts.use;

  const state = signal<ConsentState>({ policy: prepared, decisions: EMPTY_DECISIONS });
  const isReady = signal(false);
  const subject = signal(options.subject ?? '');
  const degraded = signal(false);
  const snapshot = computed(() => toSnapshot(state.value, isReady.value, subject.value, degraded.value));
  const granted = computed(() => snapshot.value.granted);
  let destroyed = false;

  const publish = () => {
    degraded.value = resilient.degraded || inMemory;
    const current = snapshot.value;
    events.emit('change', current);
    if (typeof window !== 'undefined' && typeof CustomEvent === 'function') {
      window.dispatchEvent(new CustomEvent('inappconsent:change', { detail: current }));
    }
  };

  // Written by a newer SDK (the app was downgraded): never overwrite it, work in memory.
  const workInMemory = (version: number) => {
    store = createMemoryStore();
    inMemory = true;
    report(new ConsentError('storage-record-unknown-version', `inapp-consent: stored decisions have version ${version}, newer than this SDK reads; they are left untouched and this session works in memory`));
  };
  const ready = (async () => {
    const readStored = () => Promise.all([store.get(key), options.subject ? undefined : store.get(INSTALL_ID_KEY)]);
    // The reads go out first: the canonical JSON is built while IndexedDB opens and reads.
    const reading = readStored();
    let [[raw, storedId], hashes] = await Promise.all([reading, seen.hashes(digestHex)]);
    // Nothing stored here: the webview's storage may have been evicted, ask the native mirror.
    if (nativeMayHold(options.bridge) && (raw === undefined || (!options.subject && storedId === undefined))) {
      await withNative(() => undefined).catch(() => undefined);
      [raw, storedId] = await readStored();
    }
    prepared = withHashes(prepared.document, hashes);
    const read = readRecord(raw);
    state.value = { policy: prepared, decisions: read.kind === 'ok' ? read.record.decisions : state.value.decisions };
    if (read.kind === 'newer') {
      workInMemory(read.version);
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
  })().catch((cause) => {
    // A policy known by its fingerprint alone, invalid after all (seen-policy.ts: a forged
    // collision): `ready` rejects as `createConsent` would have thrown, and actions with it.
    if ((cause as ConsentError).code === 'invalid-policy') throw cause;
    // Only a bug lands here (storage failures are absorbed above); stay usable and say so.
    isReady.value = true;
    report(cause instanceof ConsentError ? cause : new ConsentError('storage-unavailable', 'inapp-consent: restoring decisions failed', { cause }));
  }).then(() => decisions.open(), (error) => { // what was dispatched meanwhile is applied, in order
    decisions.fail(error);
    throw error;
  });

  // After `ready`, off its path: the bridge (mirror, resume, permission re-checks) and receipts,
  // whose start sends what earlier sessions left pending (with none, no request is made: FL-01).
  // A task, not a microtask: a first-launch dialog opened on `ready` renders before them.
  void ready.then(() => {
    // CH-01: a policy that changed since the last launch without re-asking anything is recorded once.
    const last = state.value.decisions.basic;
    if (!destroyed && last.decision === 'agreed' && last.policyHash !== undefined && last.policyHash !== prepared.hashes.policy) void dispatch({ type: 'load-policy', policy: prepared });
    setTimeout(() => {
      if (destroyed) return;
      seen.remember();
      void withNative(() => undefined).catch(() => undefined);
      void withReceipts(async (part) => {
        if (destroyed) return;
        part.start();
        // What an earlier session stored without its receipt (killed in between, or this part
        // failed to load then). In the queue, like a decision: it never races a save.
        void enqueue(() => part.receipt(undefined, context()));
      }, undefined);
    });
  }, () => undefined);

  let queue: Promise<unknown> = ready;
  const enqueue = (job: () => Promise<void>) => {
    const run = queue.then(job);
    queue = run.catch(() => undefined);
    return run;
  };
  // The policy of the decision being receipted (a later one may be in force by then).
  const context = (policy = decisions.settled().policy) => ({ policy, sub: subject.value, policyUrl: absoluteUrl(current.policy.fullTextUrl ?? ''), installId: options.subject ? undefined : (id: string) => void (subject.value = id) });
  // One decision stored and receipted, in the queue; answers the decisions stored.
  const persist = async (transition: Transition, before: Decisions): Promise<Decisions> => {
    const after = transition.state.decisions;
    // Write-ahead (CG-05): the event, with the id its receipt will carry, is stored in the same
    // write as the decision, so a kill before the receipt is written cannot lose the receipt.
    // (The reducer returns no effect, or `persist` with the `record` of one event.)
    const effect = transition.effects.find((item) => item.type === 'record');
    if (effect?.type !== 'record') return after;
    const pending: Unreceipted[] = [{ event: { ...effect.event, id: randomId() }, before, after }];
    // Merged with what another tab, webview or a newer SDK stored meanwhile, never written over it.
    let saved = await saveDecisions(store, policyId, before, after, now(), pending);
    if (saved.kind === 'newer') {
      workInMemory(saved.version);
      await store.set(key, createRecord(policyId, after, now(), pending));
      saved = { kind: 'saved', decisions: after, unreceipted: pending };
    }
    // A storage failure met by the save shows in the snapshot (`storageDegraded`); else the
    // mirror is sent the record just stored.
    if (degraded.value !== (resilient.degraded || inMemory)) publish();
    else mirror(snapshot.value);
    // Awaited: when an action settles, its receipt is signed and stored (never lost to a
    // reload). Receipts every listed decision, another tab's or an earlier session's too.
    await withReceipts((part) => part.receipt(saved.unreceipted, context(transition.state.policy)), undefined);
    events.emit('decision', pending[0]!.event);
    return saved.decisions;
  };
  // WD-01: an action is applied to what readers see when it is dispatched; its save and receipt
  // follow in the queue.
  // CH-01: a policy change that re-asked nothing, recorded in this session (at start, or by
  // updatePolicy): the widget shows it once; a headless host tells people itself.
  let policyNotice: DecisionEvent | undefined;
  const decisions = createDispatcher({ state, now, enqueue, persist, publish, recorded: (event) => void (event.kind === 'policy_notice' && (policyNotice = event)) });
  const dispatch = (next: ConsentAction | Promise<ConsentAction>) => (destroyed ? Promise.reject(new ConsentError('destroyed', 'inapp-consent: this instance was destroyed')) : decisions.dispatch(next));


  return {
    // Once the actions dispatched before it are applied too.
    ready: ready.then(decisions.held) as Promise<void>,
    get policy(): PolicyDocument {
      return current;
    },
    get state(): ReadonlySignal<ConsentSnapshot> {
      return snapshot;
    },
    get needsConsent() {
      return snapshot.value.needsConsent;
    },
    get policyNotice() {
      return policyNotice;
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
    ...decisionActions(dispatch, (id) => prepared.separateConsents.has(id)),
    updatePolicy(next) {
      const document = parsePolicy(next);
      if (document.policy.id !== policyId) {
        throw new ConsentError('invalid-policy', `inapp-consent: policy.id "${document.policy.id}" differs from "${policyId}"; create a new instance for another policy`);
      }
      current = document;
      return dispatch(hashPolicy(document, digestHex).then((hashes): ConsentAction => {
        prepared = withHashes(document, hashes);
        return { type: 'load-policy', policy: prepared };
      }));
    },
    flush: () => withReceipts((part) => part.flush(), undefined),
    pendingReceipts: () => withReceipts((part) => part.list('pending'), []),
    deadReceipts: () => withReceipts((part) => part.list('dead'), []),
    requestPermission: (permissionId, request) => withNative((part) => part.requester.request(permissionId, request)),
    openPermissionSettings: (permissionId) => withNative((part) => part.requester.openSettings(permissionId)),
    onResume,
    destroy() {
      destroyed = true;
      closeNative();
      receipts.stop();
      events.clear();
    },
  };
}
