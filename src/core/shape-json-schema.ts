import { POLICY_DOCS } from './policy-docs.js';
import { POLICY_SHAPE } from './policy-shape.js';
import type { Shape } from './shape.js';

type JsonSchema = { [keyword: string]: unknown };

/** Keywords placed at the root of a generated schema, before the shape's own. */
export interface SchemaHeader {
  readonly $id?: string;
  readonly title?: string;
}

/**
 * The JSON Schema (draft 2020-12) of a shape, so editors and other languages can check a policy
 * document the way `checkShape` does. What it cannot say (references between ids, the lint
 * rules) stays with `validatePolicy` and `lintPolicy`.
 */
export function toJsonSchema(shape: Shape, header: SchemaHeader = {}, docs: Docs = DOCS.get(shape) ?? {}): object {
  const unused = new Set(Object.keys(docs));
  const schema = { $schema: 'https://json-schema.org/draft/2020-12/schema', ...header, ...convert(shape, '', docs, unused) };
  if (unused.size > 0) throw new Error(`toJsonSchema: descriptions for paths that name no field: ${[...unused].join(', ')}`);
  return schema;
}

/** Field descriptions by JSON path (`[]`: any element), for shapes that keep them apart. */
type Docs = Readonly<Record<string, string>>;
// The policy's descriptions live beside its shape, not in it: the runtime validator ships in
// every script-tag page and never prints them (policy-docs.ts).
const DOCS = new Map<Shape, Docs>([[POLICY_SHAPE, POLICY_DOCS]]);

function convert(shape: Shape, path: string, docs: Docs, unused: Set<string>): JsonSchema {
  const child = (of: Shape, at: string) => convert(of, at, docs, unused);
  const described = (schema: JsonSchema): JsonSchema => {
    // A nullable shares its path with what it wraps, which carries the description.
    const doc = shape.kind === 'nullable' ? shape.doc : shape.doc ?? docs[path];
    if (doc !== undefined && shape.doc === undefined) unused.delete(path);
    const description = [doc, shape.kind === 'string' && shape.patternName ? `Expected: ${shape.patternName}.` : undefined]
      .filter((part) => part !== undefined)
      .join(' ');
    return description ? { description, ...schema } : schema;
  };
  switch (shape.kind) {
    case 'string': {
      if (shape.pattern?.flags) throw new Error(`toJsonSchema: pattern ${shape.pattern} has flags, which JSON Schema cannot express`);
      return described({
        type: 'string',
        // checkShape trims before counting, so "at least one character" means one that is not blank.
        ...(shape.minLength ? { minLength: shape.minLength, pattern: '\\S' } : {}),
        ...(shape.pattern ? { pattern: shape.pattern.source } : {}),
      });
    }
    case 'number':
      return described({
        type: shape.integer ? 'integer' : 'number',
        ...(shape.min === undefined ? {} : { minimum: shape.min }),
        ...(shape.max === undefined ? {} : { maximum: shape.max }),
      });
    case 'boolean':
      return described({ type: 'boolean' });
    case 'enum':
      return described({ enum: [...shape.values] });
    case 'array':
      return described({ type: 'array', items: child(shape.of, `${path}[]`), ...(shape.minItems ? { minItems: shape.minItems } : {}) });
    case 'record':
      return described({ type: 'object', additionalProperties: child(shape.of, `${path}{}`) });
    case 'nullable': {
      const inner = child(shape.of, path);
      if (typeof inner.type === 'string') return described({ ...inner, type: [inner.type, 'null'] });
      if (Array.isArray(inner.enum)) return described({ ...inner, enum: [...inner.enum, null] });
      return described({ anyOf: [inner, { type: 'null' }] });
    }
    case 'object': {
      const required = Object.keys(shape.props).filter((key) => !shape.props[key]?.optional);
      return described({
        type: 'object',
        properties: Object.fromEntries(Object.entries(shape.props).map(([key, prop]) => [key, child(prop, path ? `${path}.${key}` : key)])),
        ...(required.length > 0 ? { required } : {}),
        additionalProperties: false,
      });
    }
  }
}
