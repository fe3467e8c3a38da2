import { describe, expect, it } from 'vitest';
import type { Problem } from '../../src/core/errors.js';
import { array, boolean, checkShape, nullable, number, object, oneOf, optional, record, string, type Shape } from '../../src/core/shape.js';

const problemsOf = (shape: Shape, value: unknown, path = 'field'): Problem[] => {
  const problems: Problem[] = [];
  checkShape(shape, value, path, problems);
  return problems;
};

describe('checkShape', () => {
  it('accepts values of the right kind and reports nothing', () => {
    const shape = object({
      name: string({ minLength: 1 }),
      count: number({ integer: true, min: 0, max: 9 }),
      on: boolean(),
      mode: oneOf(['a', 'b']),
      tags: array(string(), { minItems: 1 }),
      extra: record(number()),
      maybe: nullable(string()),
      later: optional(string()),
    });
    expect(problemsOf(shape, { name: 'x', count: 3, on: false, mode: 'b', tags: ['t'], extra: { k: 1 }, maybe: null }, '')).toEqual([]);
  });

  it.each<[string, Shape, unknown, string]>([
    ['a non-string', string(), 5, 'expected a string, got 5'],
    ['a blank string where text is required', string({ minLength: 1 }), '   ', 'expected a non-empty string, got "   "'],
    ['a string that misses a named pattern', string({ pattern: /^\d+$/, patternName: 'digits' }), 'x1', 'expected digits, got "x1"'],
    ['a string that misses an unnamed pattern', string({ pattern: /^\d+$/ }), 'x1', 'expected text matching /^\\d+$/, got "x1"'],
    ['a non-number', number(), '3', 'expected a number, got "3"'],
    ['a fraction where a whole number is required', number({ integer: true }), 1.5, 'expected a whole number, got 1.5'],
    ['a number below the minimum', number({ min: 0 }), -1, 'expected a number ≥ 0, got -1'],
    ['a number above the maximum', number({ max: 10 }), 11, 'expected a number ≤ 10, got 11'],
    ['a non-boolean', boolean(), 'yes', 'expected true or false, got "yes"'],
    ['a value outside an enum', oneOf(['basic', 'extended']), 42, 'expected one of "basic", "extended", got 42'],
    ['a non-array', array(string()), {}, 'expected an array, got an object'],
    ['an array shorter than minItems', array(string(), { minItems: 1, noun: 'feature id' }), [], 'expected at least one feature id'],
    ['a non-object', object({}), [], 'expected an object, got an array'],
    ['null where an object is required', object({}), null, 'expected an object, got null'],
    ['a non-object record', record(string()), 'x', 'expected an object, got "x"'],
  ])('reports %s at the field path', (_name, shape, value, message) => {
    expect(problemsOf(shape, value)).toEqual([{ path: 'field', message }]);
  });

  it('rejects a number that is not finite', () => {
    const [problem, ...rest] = problemsOf(number(), Number.POSITIVE_INFINITY);
    expect(rest).toEqual([]);
    expect(problem?.path).toBe('field');
    expect(problem?.message).toMatch(/^expected a number, got /);
  });

  it('reports a missing required property and an unknown property at their own paths', () => {
    const shape = object({ name: string(), note: optional(string()) });
    expect(problemsOf(shape, { nickname: 'x' }, 'controller')).toEqual([
      { path: 'controller.name', message: 'is required' },
      { path: 'controller.nickname', message: 'is not a known field' },
    ]);
  });

  it('writes paths from the document root without a leading dot', () => {
    expect(problemsOf(object({ locale: string() }), {}, '')).toEqual([{ path: 'locale', message: 'is required' }]);
  });

  it('reports array elements with their index and record entries with their key', () => {
    expect(problemsOf(array(number()), [1, 'two', 3, false], 'values')).toEqual([
      { path: 'values[1]', message: 'expected a number, got "two"' },
      { path: 'values[3]', message: 'expected a number, got false' },
    ]);
    expect(problemsOf(record(boolean()), { ok: true, bad: 1 }, 'flags')).toEqual([{ path: 'flags.bad', message: 'expected true or false, got 1' }]);
  });

  it('accepts null for a nullable shape and checks anything else against the inner shape', () => {
    expect(problemsOf(nullable(number()), null)).toEqual([]);
    expect(problemsOf(nullable(number()), 'x')).toEqual([{ path: 'field', message: 'expected a number, got "x"' }]);
  });

  it('reports every problem in a document at once, nested ones included', () => {
    const shape = object({
      policy: object({ id: string({ pattern: /^[a-z]+$/, patternName: 'an id' }), title: string({ minLength: 1 }) }),
      features: array(object({ id: string(), necessity: oneOf(['basic', 'extended']) }), { minItems: 1, noun: 'feature' }),
      permissions: array(object({ features: array(string(), { minItems: 1, noun: 'feature id' }) })),
    });
    const problems = problemsOf(shape, {
      policy: { id: 'Bad Id', extra: 1 },
      features: [{ id: 'a', necessity: 42 }, { necessity: 'basic' }],
      permissions: [{ features: [] }],
      unknown: true,
    }, '');
    expect(problems).toEqual([
      { path: 'policy.id', message: 'expected an id, got "Bad Id"' },
      { path: 'policy.title', message: 'is required' },
      { path: 'policy.extra', message: 'is not a known field' },
      { path: 'features[0].necessity', message: 'expected one of "basic", "extended", got 42' },
      { path: 'features[1].id', message: 'is required' },
      { path: 'permissions[0].features', message: 'expected at least one feature id' },
      { path: 'unknown', message: 'is not a known field' },
    ]);
  });
});
