/**
 * Hardening, issue 8 item 1: malformed and random policies.
 *
 * Generated and mutated documents never make validatePolicy or lintPolicy throw; parsePolicy
 * throws nothing but ConsentError('invalid-policy') listing every path; every problem path
 * points into the document (or at a missing field of an object that is there).
 *
 * Run counts: the defaults below are small so test/hardening stays under 30 s on two cores.
 * Raise them with INAPP_CONSENT_FUZZ_RUNS (every property then runs at least that many times):
 *   INAPP_CONSENT_FUZZ_RUNS=5000 npx vitest run test/hardening/policy-fuzz.test.ts
 */
import fc from 'fast-check';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { ConsentError, type Problem } from '../../src/core/errors.js';
import { preparePolicy } from '../../src/core/policy-prepare.js';
import { lintPolicy } from '../../src/core/policy-lint.js';
import { POLICY_SHAPE } from '../../src/core/policy-shape.js';
import type { PolicyDocument } from '../../src/core/policy-types.js';
import { parsePolicy, validatePolicy } from '../../src/core/policy-validate.js';
import type { Shape } from '../../src/core/shape.js';
import {
  allPaths, anyText, cloneDocument, Counts, FUZZ_TIMEOUT, deeplyNested, deleteAt, formatPath, getAt, isFreeText, isIdShape,
  jsonWithPrototypeKeys, locatePath, PROTOTYPE_IDS, PROTOTYPE_KEYS, runs, SEEDS, setAt, shapeAt, validLeaf, type Segment,
} from '../helpers/arbitraries.js';

const counts = new Counts('policy-fuzz.test.ts');
afterAll(() => counts.print());
vi.setConfig({ testTimeout: FUZZ_TIMEOUT });

const ENTITY_LISTS = ['dataItems', 'features', 'purposes', 'separateConsents', 'permissions', 'recipients', 'sdks', 'retentionRules', 'exposureSettings'];
const isEntityId = (path: readonly Segment[]) => path.length === 3 && ENTITY_LISTS.includes(path[0] as string) && path[2] === 'id';
const typeOf = (value: unknown) => (value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value);

/**
 * The properties every document must satisfy, whatever it is. Returns the problems found so
 * callers can add expectations of their own.
 */
function checkAnyDocument(document: unknown, options: { pathsExist?: boolean } = {}): Problem[] {
  let problems: Problem[] = [];
  expect(() => (problems = validatePolicy(document))).not.toThrow();
  expect(Array.isArray(problems)).toBe(true);
  for (const problem of problems) {
    expect(typeof problem.path).toBe('string');
    expect(typeof problem.message).toBe('string');
    expect(problem.message.length).toBeGreaterThan(0);
    if (options.pathsExist !== false) expect(locatePath(document, problem.path), `problem path "${problem.path}" (${problem.message})`).not.toBe('nowhere');
  }
  // parsePolicy: throws only ConsentError('invalid-policy'), listing exactly these problems.
  let thrown: unknown;
  let parsed: unknown;
  try {
    parsed = parsePolicy(document);
  } catch (error) {
    thrown = error;
  }
  if (problems.length === 0) {
    expect(thrown).toBeUndefined();
    expect(parsed).toBe(document);
    counts.add('valid documents linted');
    let findings: ReturnType<typeof lintPolicy> = [];
    expect(() => (findings = lintPolicy(document as PolicyDocument))).not.toThrow();
    for (const finding of findings) {
      expect(finding.rule).toMatch(/^[A-Z]{2}-\d{2}$/);
      expect(['error', 'warning', 'info']).toContain(finding.severity);
      expect(locatePath(document, finding.path), `lint path "${finding.path}"`).not.toBe('nowhere');
    }
  } else {
    expect(thrown).toBeInstanceOf(ConsentError);
    const error = thrown as ConsentError;
    expect(error.code).toBe('invalid-policy');
    expect(error.problems).toEqual(problems);
    for (const problem of problems) expect(error.message).toContain(`${problem.path || '(document)'}: `);
    counts.add('problems reported', problems.length);
  }
  return problems;
}

// ---------------------------------------------------------------------------------------------
// Arbitrary values

describe('arbitrary values as a policy', () => {
  it('never throw from validatePolicy/parsePolicy: arbitrary JSON', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        counts.add('arbitrary JSON values');
        const problems = checkAnyDocument(value);
        // Only an object can be a policy: anything else is one problem at the root.
        if (typeOf(value) !== 'object') expect(problems).toEqual([{ path: '', message: expect.stringMatching(/^expected an object/) }]);
      }),
      { numRuns: runs(400) },
    );
  });

  it('never throw: JSON with "__proto__", "constructor" and other prototype names as own keys', () => {
    fc.assert(
      fc.property(jsonWithPrototypeKeys, (value) => {
        counts.add('JSON values with prototype keys');
        const problems = checkAnyDocument(value);
        if (typeOf(value) === 'object') {
          // Unknown top-level keys are reported, prototype names included.
          for (const key of Object.keys(value as object)) {
            if (!Object.hasOwn(POLICY_SHAPE.props, key)) expect(problems).toContainEqual({ path: key, message: 'is not a known field' });
          }
        }
      }),
      { numRuns: runs(300) },
    );
  });

  it('never throw: any JavaScript value (bigint, Map, Date, typed arrays, sparse arrays, null prototypes)', () => {
    const anything = fc.anything({
      withBigInt: true, withDate: true, withMap: true, withSet: true, withTypedArray: true, withSparseArray: true,
      withNullPrototype: true, withBoxedValues: true, withObjectString: true,
    });
    fc.assert(
      fc.property(anything, (value) => {
        counts.add('arbitrary JavaScript values');
        checkAnyDocument(value, { pathsExist: false });
      }),
      { numRuns: runs(300) },
    );
    // A bigint anywhere a number is expected is a problem, not a crash.
    const seed = cloneDocument(SEEDS[0]!.document) as unknown as Record<string, any>;
    seed.permissions[0].askPolicy.cooldownHours = 48n;
    expect(validatePolicy(seed)).toEqual([{ path: 'permissions[0].askPolicy.cooldownHours', message: 'expected a number, got 48n' }]);
    expect(validatePolicy(10n)).toEqual([{ path: '', message: 'expected an object, got 10n' }]);
  });
});

// ---------------------------------------------------------------------------------------------
// Shape-directed random documents: right field names, small id pools, so the reference checks
// and the linter are reached (random JSON almost never gets past the top level).

const ID_POOL = ['a', 'b', 'c', ...PROTOTYPE_IDS.slice(0, 2)];
function shaped(shape: Shape): fc.Arbitrary<unknown> {
  const garbage = fc.oneof(fc.constant(null), fc.integer(), anyText(6), fc.constant([]), fc.constant({}));
  let arbitrary: fc.Arbitrary<unknown>;
  switch (shape.kind) {
    case 'object': {
      const props = Object.entries(shape.props);
      const required = props.filter(([, prop]) => !prop.optional).map(([key]) => key);
      arbitrary = fc.record(Object.fromEntries(props.map(([key, prop]) => [key, shaped(prop)])), { requiredKeys: required });
      break;
    }
    case 'array':
      arbitrary = fc.array(shaped(shape.of), { minLength: shape.minItems ?? 0, maxLength: 3 });
      break;
    case 'record':
      arbitrary = fc.dictionary(fc.constantFrom(...ID_POOL), shaped(shape.of), { maxKeys: 3 });
      break;
    case 'nullable':
      arbitrary = fc.oneof(fc.constant(null), shaped(shape.of));
      break;
    default:
      arbitrary = isIdShape(shape) ? fc.constantFrom(...ID_POOL) : validLeaf(shape);
  }
  return fc.oneof({ weight: 40, arbitrary }, { weight: 1, arbitrary: garbage });
}
const shapedPolicy = shaped(POLICY_SHAPE);

describe('shape-directed random policies', () => {
  it('never throw; problem paths exist; valid ones lint without throwing', () => {
    fc.assert(
      fc.property(shapedPolicy, (document) => {
        counts.add('shape-directed documents');
        if (checkAnyDocument(document).length === 0) counts.add('shape-directed documents that validated');
      }),
      { numRuns: runs(300) },
    );
  });
});

// ---------------------------------------------------------------------------------------------
// Mutations of the five real seeds

interface SeedInfo {
  readonly paths: Segment[][];
  readonly objects: Segment[][];
  readonly strings: Segment[][];
  readonly idLeaves: Segment[][];
  readonly lists: { name: string; length: number }[];
}
function describeSeed(document: PolicyDocument): SeedInfo {
  const paths = allPaths(document).slice(1);
  const objects = [[], ...paths.filter((path) => typeOf(getAt(document, path)) === 'object')];
  const strings = paths.filter((path) => typeof getAt(document, path) === 'string');
  return {
    paths,
    objects,
    strings,
    idLeaves: strings.filter((path) => isIdShape(shapeAt(path))),
    lists: ENTITY_LISTS.map((name) => ({ name, length: ((document as unknown as Record<string, unknown[]>)[name] ?? []).length })).filter(({ length }) => length > 0),
  };
}

type Mutation =
  | { kind: 'delete'; at: number }
  | { kind: 'retype'; at: number; values: unknown[]; pick: number }
  | { kind: 'insert'; at: number; key: string; value: unknown }
  | { kind: 'append'; at: number; value: unknown }
  | { kind: 'duplicate-id'; list: number; from: number; to: number }
  | { kind: 'dangling'; at: number; name: string }
  | { kind: 'prototype-id'; at: number; id: string }
  | { kind: 'huge'; at: number; size: number; unit: string }
  | { kind: 'deep'; at: number; depth: number; shape: 'array' | 'object' }
  | { kind: 'root'; value: unknown };

const index = fc.nat({ max: 1_000_000 });
const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('delete' as const), at: index }),
  fc.record({
    kind: fc.constant('retype' as const),
    at: index,
    values: fc.tuple(anyText(), fc.oneof(fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true })), fc.boolean(), fc.constant(null),
      fc.array(jsonWithPrototypeKeys, { maxLength: 3 }), fc.dictionary(anyText(6), jsonWithPrototypeKeys, { maxKeys: 3 })),
    pick: fc.nat(5),
  }),
  fc.record({ kind: fc.constant('insert' as const), at: index, key: fc.oneof(anyText(10), fc.constantFrom(...PROTOTYPE_KEYS)), value: jsonWithPrototypeKeys }),
  fc.record({ kind: fc.constant('append' as const), at: index, value: jsonWithPrototypeKeys }),
  fc.record({ kind: fc.constant('duplicate-id' as const), list: index, from: index, to: index }),
  fc.record({ kind: fc.constant('dangling' as const), at: index, name: fc.stringMatching(/^[a-z][a-z0-9_]{0,12}$/) }),
  fc.record({ kind: fc.constant('prototype-id' as const), at: index, id: fc.constantFrom(...PROTOTYPE_IDS) }),
  fc.record({ kind: fc.constant('huge' as const), at: index, size: fc.integer({ min: 10_000, max: 400_000 }), unit: fc.constantFrom('x', '等', '😀', '<script>', '\ud800') }),
  fc.record({ kind: fc.constant('deep' as const), at: index, depth: fc.integer({ min: 100, max: 5_000 }), shape: fc.constantFrom('array' as const, 'object' as const) }),
  fc.record({ kind: fc.constant('root' as const), value: jsonWithPrototypeKeys }),
);

/** What a mutation must make the validator say, checked after all mutations of a case. */
type Expectation = {
  path: Segment[];
  value: unknown;
  expect: (problems: Problem[], document: unknown) => void;
  /** An extra condition for the expectation to still stand. */
  stands?: (document: unknown) => boolean;
};

/**
 * Whether an expectation still stands after the later mutations of its case: the validator
 * reaches its path (every ancestor still has the container type the shape expects) and the
 * node is still the one the mutation left (or, for a deletion, still missing).
 */
function stillStands(document: unknown, expectation: Expectation): boolean {
  const { path, value } = expectation;
  for (let i = 0; i < path.length; i++) {
    let shape = shapeAt(path.slice(0, i));
    while (shape?.kind === 'nullable') shape = shape.of;
    const node = getAt(document, path.slice(0, i));
    const container = Array.isArray(node) ? 'array' : typeof node === 'object' && node !== null ? 'object' : 'other';
    if (shape === undefined || (shape.kind === 'array' ? container !== 'array' : container !== 'object')) return false;
  }
  if (expectation.stands && !expectation.stands(document)) return false;
  if (value === undefined) return !Object.hasOwn(getAt(document, path.slice(0, -1)) as object, path[path.length - 1] as string);
  return getAt(document, path) === value;
}

function applyMutation(document: unknown, info: SeedInfo, m: Mutation, expectations: Expectation[]): unknown {
  const pick = <T>(list: readonly T[], at: number): T | undefined => (list.length === 0 ? undefined : list[at % list.length]);
  const at = (list: Segment[][], n: number) => {
    const path = pick(list, n);
    return path !== undefined && getAt(document, path) !== undefined ? path : undefined;
  };
  const exact = (path: Segment[], message?: RegExp) => (problems: Problem[]) =>
    expect(problems.some((problem) => problem.path === formatPath(path) && (message === undefined || message.test(problem.message))),
      `expected a problem at ${formatPath(path)} ${message ?? ''}: ${JSON.stringify(problems.map((p) => p.path))}`).toBe(true);
  counts.add(`mutation: ${m.kind}`);
  switch (m.kind) {
    case 'delete': {
      const path = at(info.paths, m.at);
      if (!path) return document;
      const shape = shapeAt(path);
      const parentShape = shapeAt(path.slice(0, -1));
      deleteAt(document, path);
      if (shape && !shape.optional && parentShape?.kind === 'object') {
        expectations.push({ path, value: undefined, expect: exact(path, /^is required$/) });
      }
      return document;
    }
    case 'retype': {
      const path = at(info.paths, m.at);
      if (!path) return document;
      const before = typeOf(getAt(document, path));
      const value = [0, 1, 2, 3, 4, 5].map((k) => m.values[(m.pick + k) % 6]).find((candidate) => typeOf(candidate) !== before);
      setAt(document, path, value);
      const shape = shapeAt(path);
      // A nullable field takes two types (null for a string, a string for null): no expectation.
      if (shape && shape.kind !== 'nullable') expectations.push({ path, value, expect: exact(path) });
      return document;
    }
    case 'insert': {
      const path = at(info.objects, m.at) ?? [];
      const parentShape = shapeAt(path);
      const known = parentShape?.kind === 'object' && Object.hasOwn(parentShape.props, m.key);
      const target = [...path, m.key];
      setAt(document, target, m.value);
      // A key the shape does not know is reported as such, prototype names included.
      if (parentShape?.kind === 'object' && !known) expectations.push({ path: target, value: m.value, expect: exact(target, /^is not a known field$/) });
      return document;
    }
    case 'append': {
      const arrays = info.paths.filter((path) => Array.isArray(getAt(document, path)));
      const path = pick(arrays, m.at);
      if (path) (getAt(document, path) as unknown[]).push(m.value);
      return document;
    }
    case 'duplicate-id': {
      const list = pick(info.lists, m.list);
      const entries = list && (getAt(document, [list.name]) as unknown);
      if (!list || !Array.isArray(entries) || entries.length < 2) return document;
      const from = m.from % entries.length;
      const to = (from + 1 + (m.to % (entries.length - 1))) % entries.length;
      const id = getAt(document, [list.name, from, 'id']);
      if (typeof id !== 'string' || typeOf(entries[to]) !== 'object') return document;
      setAt(document, [list.name, to, 'id'], id);
      // Reported on a later entry holding that id (which one, when others share it, is free).
      const where = new RegExp(`^${list.name}\\[(\\d+)\\]\\.id$`);
      expectations.push({
        path: [list.name, to, 'id'], value: id,
        stands: (current) => {
          const now = getAt(current, [list.name]);
          return Array.isArray(now) && now.filter((entry) => typeOf(entry) === 'object' && (entry as { id?: unknown }).id === id).length >= 2;
        },
        expect: (problems, current) => expect(problems.some((problem) => {
          const match = where.exec(problem.path);
          return match !== null && problem.message === `duplicates the id "${id}"` && getAt(current, [list.name, Number(match[1]), 'id']) === id;
        }), `expected a duplicate-id problem in ${list.name} for "${id}"`).toBe(true),
      });
      return document;
    }
    case 'dangling': {
      const path = at(info.idLeaves, m.at);
      if (!path) return document;
      const name = `missing_${m.name}`;
      setAt(document, path, name);
      // A reference to nothing is reported where it stands. Not references: the ids that
      // declare an entity, policy.id, and requester.sdkId, which is read only for SDK requesters.
      const hostRequester = path.includes('requester') && getAt(document, [...path.slice(0, -1), 'type']) !== 'sdk';
      if (!isEntityId(path) && formatPath(path) !== 'policy.id' && !hostRequester) {
        expectations.push({ path, value: name, expect: exact(path, /which the policy does not declare/) });
      }
      return document;
    }
    case 'prototype-id': {
      const path = at(info.idLeaves, m.at);
      if (path) setAt(document, path, m.id);
      return document;
    }
    case 'huge': {
      const path = at(info.strings, m.at);
      if (!path) return document;
      const value = m.unit.repeat(Math.ceil(m.size / m.unit.length));
      setAt(document, path, value);
      const shape = shapeAt(path);
      // Long text is still text; an id or a URL of that length is not one.
      if (isFreeText(shape)) {
        expectations.push({ path, value, expect: (problems) => expect(problems.map((problem) => problem.path)).not.toContain(formatPath(path)) });
      } else if (isIdShape(shape)) expectations.push({ path, value, expect: exact(path, /an id/) });
      return document;
    }
    case 'deep': {
      const path = at(info.paths, m.at);
      if (!path) return document;
      const value = deeplyNested(m.depth, m.shape);
      setAt(document, path, value);
      const prefix = formatPath(path);
      expectations.push({
        path, value,
        expect: (problems) => expect(problems.some((problem) => problem.path === prefix || problem.path.startsWith(`${prefix}.`) || problem.path.startsWith(`${prefix}[`))).toBe(true),
      });
      return document;
    }
    case 'root':
      expectations.length = 0;
      return m.value;
  }
}

describe.each(SEEDS.map((seed) => [seed.name, seed] as const))('mutations of seed %s', (_name, seed) => {
  const info = describeSeed(seed.document);

  it('the seed itself is valid (the baseline the mutations start from)', () => {
    expect(validatePolicy(seed.document)).toEqual([]);
  });

  it('deleted fields, changed types, inserted junk, duplicate ids, dangling references, huge strings, deep nesting, prototype keys', () => {
    fc.assert(
      fc.property(fc.array(mutation, { minLength: 1, maxLength: 3 }), (mutations) => {
        counts.add('mutated seed documents');
        let document: unknown = cloneDocument(seed.document);
        const expectations: Expectation[] = [];
        for (const m of mutations) document = applyMutation(document, info, m, expectations);
        const problems = checkAnyDocument(document);
        // Each expectation holds if a later mutation did not undo it.
        for (const expectation of expectations) {
          if (stillStands(document, expectation)) {
            expectation.expect(problems, document);
            counts.add('targeted expectations checked');
          }
        }
      }),
      { numRuns: runs(120) },
    );
  });

  it('stays valid, and its hash moves exactly when shown content moves, when leaves are replaced by other valid values', () => {
    // Leaves tied to other fields are left alone: ids (uniqueness, references), requester.type
    // (an "sdk" requester needs an sdkId) and dpo.contactRefs (indexes into controller.contacts).
    const replaceable = info.paths.filter((path) => {
      const shape = shapeAt(path);
      if (!shape || ['object', 'array', 'record'].includes(shape.kind) || isIdShape(shape)) return false;
      const field = path[path.length - 1];
      return !(field === 'type' && path.includes('requester')) && !path.includes('contactRefs');
    });
    const original = preparePolicy(seed.document).hashes.policy;
    const one = fc.nat({ max: replaceable.length - 1 }).chain((at) => validLeaf(shapeAt(replaceable[at]!)!).map((value) => [at, value] as const));
    // A few leaves, or a large share of them at once, so that every enum value (a "written"
    // purpose, an "hour" response time) meets the linter in some case.
    const replacement = fc.oneof(fc.array(one, { minLength: 1, maxLength: 5 }), fc.array(one, { minLength: 100, maxLength: 400 }));
    fc.assert(
      fc.property(replacement, (replacements) => {
        counts.add('equal-shaped replacements');
        const document = cloneDocument(seed.document);
        for (const [at, value] of replacements) setAt(document, replaceable[at]!, value);
        expect(validatePolicy(document)).toEqual([]);
        expect(() => lintPolicy(document)).not.toThrow();
        // sourceNotes and $schema are audit metadata left out of the hash; everything else counts.
        const shown = (path: readonly Segment[]) => path[0] !== 'sourceNotes' && path[0] !== '$schema';
        const changed = replacements.some(([at]) => shown(replaceable[at]!) && getAt(document, replaceable[at]!) !== getAt(seed.document, replaceable[at]!));
        const hash = preparePolicy(document).hashes.policy;
        if (changed) expect(hash).not.toBe(original);
        else expect(hash).toBe(original);
      }),
      { numRuns: runs(60) },
    );
  });
});

describe('prototype names (regressions)', () => {
  const seed = () => cloneDocument(SEEDS[0]!.document) as unknown as Record<string, any>;

  it.each(PROTOTYPE_KEYS)('reports "%s" as an unknown field at the root and in nested objects', (key) => {
    const document = seed();
    Object.defineProperty(document, key, { value: { x: 1 }, enumerable: true, writable: true, configurable: true });
    Object.defineProperty(document.policy, key, { value: 'x', enumerable: true, writable: true, configurable: true });
    const problems = validatePolicy(document);
    expect(problems).toContainEqual({ path: key, message: 'is not a known field' });
    expect(problems).toContainEqual({ path: `policy.${key}`, message: 'is not a known field' });
    expect(() => parsePolicy(document)).toThrow(ConsentError);
  });

  it('reports a "__proto__" key that came from JSON.parse', () => {
    const document = JSON.parse(JSON.stringify(SEEDS[0]!.document).replace('{', '{"__proto__":{"polluted":true},')) as unknown;
    expect(validatePolicy(document)).toContainEqual({ path: '__proto__', message: 'is not a known field' });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
