import { describe, expect, it } from 'vitest';
import { ConsentError, formatProblems } from '../../src/core/errors.js';
import type { PolicyDocument } from '../../src/core/policy-types.js';
import { parsePolicy, validatePolicy } from '../../src/core/policy-validate.js';
import { fixturePolicy } from '../fixtures/policy.js';

/** The fixture as plain, writable JSON, for breaking it on purpose. */
type Json = { [key: string]: any };
const draft = (): Json => fixturePolicy() as unknown as Json;
const paths = (document: unknown) => validatePolicy(document).map((problem) => problem.path);

describe('validatePolicy', () => {
  it('finds no problem in the fixture policy', () => {
    expect(validatePolicy(fixturePolicy())).toEqual([]);
  });

  it('reports a document that is not an object at the root', () => {
    expect(validatePolicy([])).toEqual([{ path: '', message: 'expected an object, got an array' }]);
  });

  it('reports wrong types with their paths', () => {
    const policy = draft();
    policy.locale = 5;
    policy.features[0].necessity = 42;
    policy.policy.title = '  ';
    policy.minors.ageGate = 'no';
    policy.controller.responseTime.value = -1;
    expect(validatePolicy(policy)).toEqual([
      { path: 'locale', message: 'expected a string, got 5' },
      { path: 'policy.title', message: 'expected a non-empty string, got "  "' },
      { path: 'controller.responseTime.value', message: 'expected a number ≥ 0, got -1' },
      { path: 'features[0].necessity', message: 'expected one of "basic", "extended", got 42' },
      { path: 'minors.ageGate', message: 'expected true or false, got "no"' },
    ]);
  });

  it('reports missing required fields with their paths', () => {
    const policy = draft();
    delete policy.controller.name;
    delete policy.policy.summary;
    delete policy.permissions[0].askPolicy;
    delete policy.rights;
    expect(validatePolicy(policy)).toEqual([
      { path: 'policy.summary', message: 'is required' },
      { path: 'controller.name', message: 'is required' },
      { path: 'permissions[0].askPolicy', message: 'is required' },
      { path: 'rights', message: 'is required' },
    ]);
  });

  it('reports unknown fields with their paths', () => {
    const policy = draft();
    policy.controller.nickname = '示例';
    policy.dataItems[0].secret = true;
    expect(validatePolicy(policy)).toEqual([
      { path: 'controller.nickname', message: 'is not a known field' },
      { path: 'dataItems[0].secret', message: 'is not a known field' },
    ]);
  });

  it('reports a malformed id and a bad date against what they mean', () => {
    const policy = draft();
    policy.dataItems[0].id = 'has space';
    policy.policy.effectiveAt = '2026/01/01';
    expect(validatePolicy(policy)).toEqual(expect.arrayContaining([
      { path: 'policy.effectiveAt', message: 'expected a date as YYYY-MM-DD, got "2026/01/01"' },
      { path: 'dataItems[0].id', message: 'expected an id (letters, digits, _ . -), got "has space"' },
    ]));
  });

  it('reports duplicate ids, purposes and separate consents sharing one namespace', () => {
    const policy = draft();
    policy.dataItems[1].id = 'phone';
    policy.separateConsents[0].id = 'marketing';
    expect(validatePolicy(policy)).toEqual(expect.arrayContaining([
      { path: 'dataItems[1].id', message: 'duplicates the id "phone"' },
      { path: 'separateConsents[0].id', message: 'duplicates the id "marketing"' },
    ]));
  });

  it('reports a permission pointing at a feature that does not exist', () => {
    const policy = draft();
    policy.permissions[0].features[0] = 'no_such_feature';
    expect(validatePolicy(policy)).toContainEqual({
      path: 'permissions[0].features[0]',
      message: 'refers to feature "no_such_feature", which the policy does not declare',
    });
  });

  it('reports a dangling reference together with shape problems, in one pass', () => {
    const policy = draft();
    delete policy.controller.name;
    policy.features[0].necessity = 42;
    policy.permissions[0].features[0] = 'no_such_feature';
    expect(paths(policy)).toEqual(expect.arrayContaining(['controller.name', 'features[0].necessity', 'permissions[0].features[0]']));
  });

  it('reports a permission with no feature (PP-08: no permission without a feature that needs it)', () => {
    const policy = draft();
    policy.permissions[0].features = [];
    expect(formatProblems(validatePolicy(policy))).toContain('permissions[0].features: expected at least one feature id');
  });

  it('reports a feature listing a permission whose features do not include it', () => {
    const policy = draft();
    policy.features[0].permissions = ['location'];
    expect(validatePolicy(policy)).toEqual([
      { path: 'features[0].permissions[0]', message: 'lists permission "location", but that permission\'s features do not include "register"' },
    ]);
  });

  it('requires requester.sdkId when an SDK asks for the permission, and that SDK to exist', () => {
    const policy = draft();
    policy.permissions[0].requester = { type: 'sdk' };
    expect(validatePolicy(policy)).toEqual([{ path: 'permissions[0].requester.sdkId', message: 'is required when requester.type is "sdk"' }]);
    policy.permissions[0].requester = { type: 'sdk', sdkId: 'ghost' };
    expect(validatePolicy(policy)).toEqual([{ path: 'permissions[0].requester.sdkId', message: 'refers to SDK "ghost", which the policy does not declare' }]);
  });

  it('reports every dangling reference with its path', () => {
    const policy = draft();
    policy.purposes[0].items = ['phone', 'nope'];
    policy.separateConsents[0].purposeId = 'nope';
    policy.features[1].refusalImpact.affects = ['nope'];
    policy.controller.dpo = { contactRefs: [0, 2] };
    expect(paths(policy)).toEqual(['features[1].refusalImpact.affects[0]', 'purposes[0].items[1]', 'separateConsents[0].purposeId', 'controller.dpo.contactRefs[1]']);
  });
});

describe('parsePolicy', () => {
  it('returns the document when it is valid', () => {
    const policy = fixturePolicy();
    expect(parsePolicy(policy)).toBe(policy);
  });

  it('throws ConsentError "invalid-policy" listing every problem with its path', () => {
    const policy = draft();
    delete policy.controller.name;
    policy.features[0].necessity = 42;
    policy.surplus = 1;
    let thrown: unknown;
    try {
      parsePolicy(policy as PolicyDocument);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ConsentError);
    const error = thrown as ConsentError;
    expect(error.code).toBe('invalid-policy');
    expect(error.problems.map((problem) => problem.path)).toEqual(['controller.name', 'features[0].necessity', 'surplus']);
    for (const path of ['controller.name: is required', 'features[0].necessity: expected one of', 'surplus: is not a known field']) {
      expect(error.message).toContain(path);
    }
  });
});
