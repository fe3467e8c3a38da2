import type { Permission, PolicyDocument } from '../../src/core/policy-types.js';
import { fixturePolicy } from '../fixtures/policy.js';

const permission = (id: string, kind: Permission['kind'], features: string[], extra: Partial<Permission> = {}): Permission => ({
  id, kind, label: id, requester: { type: 'host' }, features, purposeText: `用于${id}`,
  refusalImpact: { level: 'feature_unavailable', affects: features },
  askPolicy: { when: 'on_feature_use', cooldownHours: 48, allowUserInitiatedBypass: true },
  ...extra,
});

/**
 * The fixture policy plus camera (mapped from the permission side only) and Bluetooth (whose
 * cooldown the person cannot bypass), so every rule has something to bite on.
 */
export function permissionPolicy(): PolicyDocument {
  const policy = fixturePolicy();
  return {
    ...policy,
    permissions: [
      ...policy.permissions,
      permission('camera', 'camera', ['verify_face']),
      permission('bluetooth', 'bluetooth', ['nearby'], { askPolicy: { when: 'on_feature_use', cooldownHours: 24, allowUserInitiatedBypass: false } }),
    ],
  };
}
