import type { CooldownAnchor } from '../core/permission-rules.js';

/** Where cooldown anchors that must outlive a session are kept, per policy. */
export const anchorsKey = (policyId: string) => `inapp-consent/v1/permission-anchors/${policyId}`;

export interface AnchorBook {
  get(permissionId: string): Promise<CooldownAnchor | undefined>;
  keep(permissionId: string, anchor: CooldownAnchor): void;
}

const isNumber = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value);

/**
 * The anchors `cooldown()` counts from (see core/permission-rules.ts, PP-05). Monotonic
 * readings live in memory only: they mean nothing after a restart. Wall anchors (a refusal
 * stamped in the future, first seen at …) and lapse marks are persisted so they survive one.
 */
export function createAnchorBook(storage: { get(): Promise<unknown>; set(value: unknown): Promise<void> }): AnchorBook {
  const session = new Map<string, CooldownAnchor>();
  let persisted: Promise<Record<string, CooldownAnchor>> | undefined;

  const load = () =>
    (persisted ??= storage.get().then(
      (raw) => {
        const result: Record<string, CooldownAnchor> = {};
        if (typeof raw !== 'object' || raw === null) return result;
        for (const [id, value] of Object.entries(raw as Record<string, Partial<CooldownAnchor>>)) {
          if (!isNumber(value?.refusedAt)) continue;
          result[id] = {
            refusedAt: value.refusedAt,
            ...(isNumber(value.wall) ? { wall: value.wall } : {}),
            ...(value.lapse === true ? { lapse: true } : {}),
          };
        }
        return result;
      },
      (): Record<string, CooldownAnchor> => ({}),
    ));

  return {
    async get(permissionId) {
      return session.get(permissionId) ?? (await load())[permissionId];
    },
    keep(permissionId, anchor) {
      session.set(permissionId, anchor);
      if (anchor.wall === undefined && !anchor.lapse) return;
      const { monotonic: _session, ...lasting } = anchor;
      void load().then((all) => {
        all[permissionId] = lasting;
        return storage.set({ ...all });
      }).catch(() => undefined); // storage failures are reported by the store itself
    },
  };
}
