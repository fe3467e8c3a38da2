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
export function toJsonSchema(shape: Shape, header: SchemaHeader = {}): object {
  return { $schema: 'https://json-schema.org/draft/2020-12/schema', ...header, ...convert(shape) };
}

function convert(shape: Shape): JsonSchema {
  const described = (schema: JsonSchema): JsonSchema => {
    const description = [shape.doc, shape.kind === 'string' && shape.patternName ? `Expected: ${shape.patternName}.` : undefined]
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
      return described({ type: 'array', items: convert(shape.of), ...(shape.minItems ? { minItems: shape.minItems } : {}) });
    case 'record':
      return described({ type: 'object', additionalProperties: convert(shape.of) });
    case 'nullable': {
      const inner = convert(shape.of);
      if (typeof inner.type === 'string') return described({ ...inner, type: [inner.type, 'null'] });
      if (Array.isArray(inner.enum)) return described({ ...inner, enum: [...inner.enum, null] });
      return described({ anyOf: [inner, { type: 'null' }] });
    }
    case 'object': {
      const required = Object.keys(shape.props).filter((key) => !shape.props[key]?.optional);
      return described({
        type: 'object',
        properties: Object.fromEntries(Object.entries(shape.props).map(([key, prop]) => [key, convert(prop)])),
        ...(required.length > 0 ? { required } : {}),
        additionalProperties: false,
      });
    }
  }
}
