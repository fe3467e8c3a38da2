import type { Problem } from './errors.js';

/**
 * A tiny schema language: the policy document is described once, as data, and that one
 * description gives the runtime validator, the TypeScript types (`Infer`) and the published
 * JSON Schema (`toJsonSchema`). Hand-written rather than a schema library because it runs in
 * the script-tag build, where every byte counts, and it must report every problem at once.
 */
export type Shape =
  | StringShape
  | NumberShape
  | BooleanShape
  | EnumShape
  | ArrayShape
  | ObjectShape
  | RecordShape
  | NullableShape;

interface Base {
  readonly doc?: string;
  /** Marks an object property as optional (set by `optional()`). */
  readonly optional?: true;
}
export interface StringShape extends Base {
  readonly kind: 'string';
  readonly minLength?: number;
  readonly pattern?: RegExp;
  /** Says what the pattern means, for the error message and the JSON Schema. */
  readonly patternName?: string;
}
export interface NumberShape extends Base {
  readonly kind: 'number';
  readonly integer?: boolean;
  readonly min?: number;
  readonly max?: number;
}
export interface BooleanShape extends Base {
  readonly kind: 'boolean';
}
export interface EnumShape extends Base {
  readonly kind: 'enum';
  readonly values: readonly (string | number | boolean)[];
}
export interface ArrayShape extends Base {
  readonly kind: 'array';
  readonly of: Shape;
  readonly minItems?: number;
  /** What one element is called, for "expected at least one feature id". */
  readonly noun?: string;
}
export interface ObjectShape extends Base {
  readonly kind: 'object';
  readonly props: Readonly<Record<string, Shape>>;
}
export interface RecordShape extends Base {
  readonly kind: 'record';
  readonly of: Shape;
}
export interface NullableShape extends Base {
  readonly kind: 'nullable';
  readonly of: Shape;
}

type Simplify<T> = { [K in keyof T]: T[K] } & {};
type OptionalKeys<P> = { [K in keyof P]: P[K] extends { optional: true } ? K : never }[keyof P];

/** The TypeScript type of values a shape accepts. */
export type Infer<S> = S extends StringShape
  ? string
  : S extends NumberShape
    ? number
    : S extends BooleanShape
      ? boolean
      : S extends { kind: 'enum'; values: readonly (infer V)[] }
        ? V
        : S extends { kind: 'array'; of: infer O }
          ? readonly Infer<O>[]
          : S extends { kind: 'nullable'; of: infer O }
            ? Infer<O> | null
            : S extends { kind: 'record'; of: infer O }
              ? Readonly<Record<string, Infer<O>>>
              : S extends { kind: 'object'; props: infer P }
                ? Simplify<
                    { readonly [K in Exclude<keyof P, OptionalKeys<P>>]: Infer<P[K]> } & {
                      readonly [K in OptionalKeys<P>]?: Infer<P[K]>;
                    }
                  >
                : never;

export const string = (options: Omit<StringShape, 'kind'> = {}) => ({ kind: 'string', ...options }) as const;
export const number = (options: Omit<NumberShape, 'kind'> = {}) => ({ kind: 'number', ...options }) as const;
export const boolean = (doc?: string) => ({ kind: 'boolean', ...(doc ? { doc } : {}) }) as const;
export const oneOf = <const V extends readonly (string | number | boolean)[]>(values: V, doc?: string) =>
  ({ kind: 'enum', values, ...(doc ? { doc } : {}) }) as const;
export const array = <O extends Shape>(of: O, options: Omit<ArrayShape, 'kind' | 'of'> = {}) =>
  ({ kind: 'array', of, ...options }) as const;
export const object = <P extends Record<string, Shape>>(props: P, doc?: string) =>
  ({ kind: 'object', props, ...(doc ? { doc } : {}) }) as const;
export const record = <O extends Shape>(of: O, doc?: string) => ({ kind: 'record', of, ...(doc ? { doc } : {}) }) as const;
export const nullable = <O extends Shape>(of: O) => ({ kind: 'nullable', of }) as const;
export const optional = <S extends Shape>(shape: S) => ({ ...shape, optional: true }) as S & { readonly optional: true };

// A bigint is described by hand: JSON.stringify throws on it, and the validator must not throw.
const describe = (value: unknown): string =>
  value === null ? 'null' : Array.isArray(value) ? 'an array' : typeof value === 'object' ? 'an object' : typeof value === 'number' ? String(value) : typeof value === 'bigint' ? `${value}n` : JSON.stringify(value) ?? typeof value;

/** Where a check is: keys and indexes from the root, formatted only when a problem is found. */
type Steps = (string | number)[];
const pathOf = (root: string, steps: Steps): string =>
  steps.reduce<string>((path, step) => (typeof step === 'number' ? `${path}[${step}]` : path ? `${path}.${step}` : step), root);

/** Checks `value` against `shape`, appending every problem found (never stopping at the first). */
export function checkShape(shape: Shape, value: unknown, path: string, problems: Problem[]): void {
  check(shape, value, [], (steps, message) => problems.push({ path: pathOf(path, steps), message }));
}

// Cold code on every start (a 118 kB policy has thousands of nodes): no path string, closure or
// entry array is built per node while nothing is wrong (bench/size-steps.md).
function check(shape: Shape, value: unknown, steps: Steps, report: (steps: Steps, message: string) => void): void {
  let expected: string | undefined;
  switch (shape.kind) {
    case 'string':
      if (typeof value !== 'string') expected = 'a string';
      else if (shape.minLength && value.trim().length < shape.minLength) expected = 'a non-empty string';
      else if (shape.pattern && !shape.pattern.test(value)) expected = shape.patternName ?? `text matching ${shape.pattern}`;
      break;
    case 'number':
      if (typeof value !== 'number' || !Number.isFinite(value)) expected = 'a number';
      else if (shape.integer && !Number.isInteger(value)) expected = 'a whole number';
      else if (shape.min !== undefined && value < shape.min) expected = `a number ≥ ${shape.min}`;
      else if (shape.max !== undefined && value > shape.max) expected = `a number ≤ ${shape.max}`;
      break;
    case 'boolean':
      if (typeof value !== 'boolean') expected = 'true or false';
      break;
    case 'enum':
      if (!shape.values.includes(value as string)) expected = `one of ${shape.values.map((v) => JSON.stringify(v)).join(', ')}`;
      break;
    case 'nullable':
      if (value !== null) check(shape.of, value, steps, report);
      break;
    case 'array':
      if (!Array.isArray(value)) {
        expected = 'an array';
        break;
      }
      if (value.length < (shape.minItems ?? 0)) {
        const noun = shape.noun ?? 'item';
        report(steps, `expected at least ${shape.minItems === 1 ? `one ${noun}` : `${shape.minItems} ${noun}s`}`);
      }
      // forEach: a hole in a sparse array is skipped, as it always was.
      value.forEach((item, index) => {
        steps.push(index);
        check(shape.of, item, steps, report);
        steps.pop();
      });
      break;
    case 'record':
    case 'object': {
      if (typeof value !== 'object' || value === null || Array.isArray(value)) {
        expected = 'an object';
        break;
      }
      const entries = value as Record<string, unknown>;
      const props = shape.kind === 'object' ? shape.props : undefined;
      if (props) {
        for (const key in props) {
          steps.push(key);
          if (entries[key] === undefined) {
            if (!props[key]!.optional) report(steps, 'is required');
          } else check(props[key]!, entries[key], steps, report);
          steps.pop();
        }
      }
      for (const key of Object.keys(entries)) {
        steps.push(key);
        // Own keys only: `in` would take "__proto__", "constructor" or "toString" for known fields.
        if (!props) check((shape as RecordShape).of, entries[key], steps, report);
        else if (!Object.hasOwn(props, key)) report(steps, 'is not a known field');
        steps.pop();
      }
    }
  }
  if (expected) report(steps, `expected ${expected}, got ${describe(value)}`);
}
