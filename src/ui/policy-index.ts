import type { DataItem, Feature, Permission, PolicyDocument, Purpose, Recipient } from '../core/policy-types.js';

type Sdk = PolicyDocument['sdks'][number];

/** Id lookups over one policy document, built once per document. */
export interface PolicyIndex {
  readonly items: ReadonlyMap<string, DataItem>;
  readonly features: ReadonlyMap<string, Feature>;
  readonly purposes: ReadonlyMap<string, Purpose>;
  readonly permissions: ReadonlyMap<string, Permission>;
  readonly recipients: ReadonlyMap<string, Recipient>;
  readonly sdks: ReadonlyMap<string, Sdk>;
}

const cache = new WeakMap<PolicyDocument, PolicyIndex>();
const byId = <T extends { id: string }>(list: readonly T[]) => new Map(list.map((entry) => [entry.id, entry]));

export function indexPolicy(policy: PolicyDocument): PolicyIndex {
  let index = cache.get(policy);
  if (!index) {
    index = {
      items: byId(policy.dataItems),
      features: byId(policy.features),
      purposes: byId(policy.purposes),
      permissions: byId(policy.permissions),
      recipients: byId(policy.recipients),
      sdks: byId(policy.sdks),
    };
    cache.set(policy, index);
  }
  return index;
}

/** Labels of the ids that resolve, in the order given. */
export function labels<T extends { label?: string; name?: string }>(map: ReadonlyMap<string, T>, ids: readonly string[] | undefined): string[] {
  return (ids ?? []).flatMap((id) => {
    const entry = map.get(id);
    return entry ? [entry.label ?? entry.name ?? id] : [];
  });
}
