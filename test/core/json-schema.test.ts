import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { POLICY_SHAPE } from '../../src/core/policy-shape.js';
import { array, nullable, number, object, oneOf, optional, record, string } from '../../src/core/shape.js';
import { toJsonSchema } from '../../src/core/shape-json-schema.js';
import { fixturePolicy } from '../fixtures/policy.js';

type Schema = { [keyword: string]: any };
const SCHEMA_FILE = fileURLToPath(new URL('../../schema/policy.schema.json', import.meta.url));
const published = JSON.parse(readFileSync(SCHEMA_FILE, 'utf8')) as Schema;

/**
 * Just enough of a JSON Schema validator for the keywords toJsonSchema writes, so the fixture
 * can be checked against the published file without a dependency. Returns failing paths.
 */
const KNOWN = new Set(['$schema', '$id', 'title', 'description', 'type', 'enum', 'pattern', 'minLength', 'minimum', 'maximum', 'items', 'minItems', 'properties', 'required', 'additionalProperties', 'anyOf']);
function failures(schema: Schema, value: unknown, path = ''): string[] {
  const typeOf = (v: unknown) => (v === null ? 'null' : Array.isArray(v) ? 'array' : Number.isInteger(v) ? 'integer' : typeof v);
  const types: string[] = schema.type === undefined ? [] : [schema.type].flat();
  if (types.length > 0 && !types.some((type) => type === typeOf(value) || (type === 'number' && typeOf(value) === 'integer'))) return [path];
  if (schema.enum && !schema.enum.includes(value)) return [path];
  if (schema.anyOf && schema.anyOf.every((option: Schema) => failures(option, value, path).length > 0)) return [path];
  const out: string[] = [];
  if (typeof value === 'string') {
    if (schema.pattern !== undefined && !new RegExp(schema.pattern, 'u').test(value)) out.push(path);
    if (schema.minLength !== undefined && [...value].length < schema.minLength) out.push(path);
  }
  if (typeof value === 'number' && ((schema.minimum !== undefined && value < schema.minimum) || (schema.maximum !== undefined && value > schema.maximum))) out.push(path);
  if (Array.isArray(value)) {
    if (schema.minItems !== undefined && value.length < schema.minItems) out.push(path);
    if (schema.items) value.forEach((item, index) => out.push(...failures(schema.items, item, `${path}[${index}]`)));
  }
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
    const entries = value as Record<string, unknown>;
    const at = (key: string) => (path ? `${path}.${key}` : key);
    for (const key of schema.required ?? []) if (!(key in entries)) out.push(at(key));
    for (const [key, item] of Object.entries(entries)) {
      const own = schema.properties?.[key];
      if (own) out.push(...failures(own, item, at(key)));
      else if (schema.additionalProperties === false) out.push(at(key));
      else if (typeof schema.additionalProperties === 'object') out.push(...failures(schema.additionalProperties, item, at(key)));
    }
  }
  return out;
}
const keywords = (schema: unknown): string[] => {
  if (typeof schema !== 'object' || schema === null) return [];
  const s = schema as Schema;
  return [
    ...Object.keys(s),
    ...Object.values(s.properties ?? {}).flatMap(keywords),
    ...keywords(s.items),
    ...keywords(s.additionalProperties),
    ...(s.anyOf ?? []).flatMap(keywords),
  ];
};

describe('schema/policy.schema.json', () => {
  it('is what toJsonSchema(POLICY_SHAPE) writes now (run `npx tsx scripts/write-schema.ts` after changing the shape)', () => {
    expect(published.$id).toBe('https://unpkg.com/inapp-consent/schema/policy.schema.json');
    expect(published.title).toEqual(expect.any(String));
    expect(published).toEqual(toJsonSchema(POLICY_SHAPE, { $id: published.$id, title: published.title }));
  });

  it('declares draft 2020-12 and uses only the keywords it is checked with here', () => {
    expect(published.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
    expect(keywords(published).filter((keyword) => !KNOWN.has(keyword))).toEqual([]);
  });

  it('accepts the fixture policy', () => {
    expect(failures(published, fixturePolicy())).toEqual([]);
  });

  it('rejects what the validator rejects, at the same paths', () => {
    const policy = fixturePolicy() as unknown as Schema;
    delete policy.controller.name;
    policy.features[0].necessity = 42;
    policy.policy.title = '   ';
    policy.permissions[0].features = [];
    policy.minors.minimumUserAge = 1.5;
    policy.surplus = true;
    expect(failures(published, policy).sort()).toEqual(
      ['controller.name', 'features[0].necessity', 'minors.minimumUserAge', 'permissions[0].features', 'policy.title', 'surplus'].sort(),
    );
  });

  it('requires exactly the policy\'s required top-level fields and closes every object', () => {
    expect(published.required).toEqual(expect.arrayContaining(['schemaVersion', 'locale', 'policy', 'controller', 'dataItems', 'features', 'purposes']));
    expect(published.required).not.toContain('sourceNotes');
    expect(published.additionalProperties).toBe(false);
    expect(published.properties.controller.additionalProperties).toBe(false);
  });
});

describe('toJsonSchema', () => {
  it('maps each kind of shape to its JSON Schema keywords', () => {
    const shape = object({
      id: string({ pattern: /^[a-z]+$/, patternName: 'lowercase letters', doc: 'The id.' }),
      text: string({ minLength: 1 }),
      count: number({ integer: true, min: 0, max: 9 }),
      ratio: number(),
      mode: oneOf(['a', 'b']),
      list: array(string(), { minItems: 1 }),
      map: record(number()),
      maybe: optional(nullable(string())),
      maybeMode: optional(nullable(oneOf(['x']))),
      maybeList: optional(nullable(array(string()))),
    }, 'A thing.');
    expect(toJsonSchema(shape)).toEqual({
      $schema: 'https://json-schema.org/draft/2020-12/schema',
      description: 'A thing.',
      type: 'object',
      properties: {
        id: { description: 'The id. Expected: lowercase letters.', type: 'string', pattern: '^[a-z]+$' },
        text: { type: 'string', minLength: 1, pattern: '\\S' },
        count: { type: 'integer', minimum: 0, maximum: 9 },
        ratio: { type: 'number' },
        mode: { enum: ['a', 'b'] },
        list: { type: 'array', items: { type: 'string' }, minItems: 1 },
        map: { type: 'object', additionalProperties: { type: 'number' } },
        maybe: { type: ['string', 'null'] },
        maybeMode: { enum: ['x', null] },
        maybeList: { type: ['array', 'null'], items: { type: 'string' } },
      },
      required: ['id', 'text', 'count', 'ratio', 'mode', 'list', 'map'],
      additionalProperties: false,
    });
  });

  it('refuses a pattern with flags, which JSON Schema cannot carry', () => {
    expect(() => toJsonSchema(string({ pattern: /^a$/i }))).toThrow(/flags/);
  });
});
