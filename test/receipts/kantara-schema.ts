/**
 * A JSON Schema draft-04 checker for exactly the keywords the Kantara v1.1 schema uses (type,
 * properties, required, items, oneOf, enum, minimum). Written here because the project takes
 * no new dependency for one test; checked against known-bad documents in kantara.test.ts.
 */
type Schema = {
  type?: string; properties?: Record<string, Schema>; required?: string[]; items?: Schema;
  oneOf?: Schema[]; enum?: unknown[]; minimum?: number;
};

const typeOf = (value: unknown): string =>
  Array.isArray(value) ? 'array' : value === null ? 'null' : Number.isInteger(value) ? 'integer' : typeof value;

export function validate(schema: Schema, value: unknown, path = '$'): string[] {
  const errors: string[] = [];
  if (schema.type) {
    const actual = typeOf(value);
    const ok = schema.type === actual || (schema.type === 'number' && actual === 'integer');
    if (!ok) return [`${path}: expected ${schema.type}, got ${actual}`];
  }
  if (schema.enum && !schema.enum.some((allowed) => allowed === value)) errors.push(`${path}: not one of ${JSON.stringify(schema.enum)}`);
  if (schema.minimum !== undefined && typeof value === 'number' && value < schema.minimum) errors.push(`${path}: below ${schema.minimum}`);
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
    const record = value as Record<string, unknown>;
    for (const name of schema.required ?? []) if (!(name in record)) errors.push(`${path}.${name}: required`);
    for (const [name, sub] of Object.entries(schema.properties ?? {})) if (name in record) errors.push(...validate(sub, record[name], `${path}.${name}`));
  }
  if (Array.isArray(value) && schema.items) value.forEach((item, i) => errors.push(...validate(schema.items!, item, `${path}[${i}]`)));
  if (schema.oneOf) {
    const passing = schema.oneOf.filter((option) => validate(option, value, path).length === 0).length;
    if (passing !== 1) errors.push(`${path}: matches ${passing} of the oneOf alternatives, expected exactly 1`);
  }
  return errors;
}
