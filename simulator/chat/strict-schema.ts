/**
 * OpenAI's strict-mode schema rules (Structured Outputs guide, "Supported schemas"), checked the way
 * the API checks them: the first problem found is reported with the path to it as a Python-tuple
 * "context", because that is how OpenAI's 400 messages read.
 *
 * What the guide documents, in short:
 * - the root must be an object, and not `anyOf`;
 * - every object must set `additionalProperties: false` and list every property in `required`
 *   (optional fields are expressed as a union with `null`);
 * - supported keywords: strings `pattern`, `format` (a fixed set); numbers `minimum`, `maximum`,
 *   `exclusiveMinimum`, `exclusiveMaximum`, `multipleOf`; arrays `items`, `minItems`, `maxItems`;
 *   `enum`, `const`, `anyOf`, `$defs` and `$ref` (recursion allowed); `description`, `title`;
 * - string `minLength`/`maxLength` are not on the supported list, nor are `allOf`, `not`,
 *   `if`/`then`/`else`, `dependent*`, `patternProperties`, `propertyNames`, `min/maxProperties`,
 *   `uniqueItems`, `contains`, `prefixItems`, `unevaluated*`; `default` is rejected too;
 * - limits on total object properties, nesting depth and enum values (configurable here).
 */

export interface StrictLimits {
  maxNestingDepth: number;
  maxObjectProperties: number;
  maxEnumValues: number;
}

type Path = ReadonlyArray<string | number>;
type Schema = Record<string, unknown>;

const TYPES = new Set(['string', 'number', 'integer', 'boolean', 'object', 'array', 'null']);
const STRING_FORMATS = new Set([
  'date-time',
  'time',
  'date',
  'duration',
  'email',
  'hostname',
  'ipv4',
  'ipv6',
  'uuid',
]);
const COMMON_KEYWORDS = new Set([
  'type',
  'description',
  'title',
  'enum',
  'const',
  '$ref',
  'anyOf',
  '$defs',
  'definitions',
]);
const ROOT_ONLY_KEYWORDS = new Set(['$schema', '$id', '$comment']);
const KEYWORDS_BY_TYPE: Record<string, ReadonlySet<string>> = {
  object: new Set(['properties', 'required', 'additionalProperties']),
  array: new Set(['items', 'minItems', 'maxItems']),
  string: new Set(['pattern', 'format']),
  number: new Set(['minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum', 'multipleOf']),
  integer: new Set(['minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum', 'multipleOf']),
  boolean: new Set(),
  null: new Set(),
};

class SchemaProblem extends Error {}

/** Python's repr of a tuple, e.g. `()`, `('properties',)`, `('properties', 'score')`. */
export function formatContext(path: Path): string {
  const items = path.map((p) => (typeof p === 'number' ? String(p) : `'${p}'`));
  if (items.length === 1) return `(${items[0]},)`;
  return `(${items.join(', ')})`;
}

function fail(path: Path, detail: string): never {
  throw new SchemaProblem(`In context=${formatContext(path)}, ${detail}`);
}

function isSchema(value: unknown): value is Schema {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function typesOf(schema: Schema): string[] {
  const t = schema.type;
  if (typeof t === 'string') return [t];
  if (Array.isArray(t)) return t.filter((x): x is string => typeof x === 'string');
  return [];
}

class Checker {
  private properties = 0;
  private enumValues = 0;

  constructor(
    private readonly root: Schema,
    private readonly limits: StrictLimits,
  ) {}

  run(): void {
    const rootTypes = typesOf(this.root);
    if ('anyOf' in this.root && rootTypes.length === 0)
      fail([], `schema must be a JSON Schema of 'type: "object"', got 'anyOf'.`);
    if (rootTypes.length !== 1 || rootTypes[0] !== 'object') {
      fail(
        [],
        `schema must be a JSON Schema of 'type: "object"', got 'type: ${JSON.stringify(this.root.type ?? null)}'.`,
      );
    }
    this.node(this.root, [], 0, true);
    for (const defsKey of ['$defs', 'definitions'] as const) {
      const defs = this.root[defsKey];
      if (defs === undefined) continue;
      if (!isSchema(defs)) fail([defsKey], `'${defsKey}' must be an object.`);
      for (const [name, def] of Object.entries(defs)) {
        if (!isSchema(def)) fail([defsKey, name], 'schema must be an object.');
        this.node(def, [defsKey, name], 1, false);
      }
    }
    if (this.properties > this.limits.maxObjectProperties) {
      fail(
        [],
        `the schema has ${this.properties} object properties in total, more than the limit of ${this.limits.maxObjectProperties}.`,
      );
    }
  }

  private node(schema: Schema, path: Path, depth: number, isRoot: boolean): void {
    if (typeof schema.$ref === 'string') return this.ref(schema.$ref, path);
    if (Array.isArray(schema.anyOf)) {
      schema.anyOf.forEach((branch, i) => {
        if (!isSchema(branch)) fail([...path, 'anyOf', i], 'schema must be an object.');
        this.node(branch, [...path, 'anyOf', i], depth, false);
      });
      if (schema.type === undefined) return this.keywords(schema, path, [], isRoot);
    }
    const types = typesOf(schema);
    this.keywords(schema, path, types, isRoot);
    if (types.length === 0 && schema.enum === undefined && schema.const === undefined) {
      fail(path, "schema must have a 'type' key.");
    }
    for (const t of types) if (!TYPES.has(t)) fail(path, `type '${t}' is not supported.`);
    if (Array.isArray(schema.enum)) {
      this.enumValues += schema.enum.length;
      if (this.enumValues > this.limits.maxEnumValues) {
        fail(path, `the schema has more than ${this.limits.maxEnumValues} enum values in total.`);
      }
    }
    if (typeof schema.format === 'string' && !STRING_FORMATS.has(schema.format)) {
      fail(path, `'format' value '${schema.format}' is not supported.`);
    }
    if (types.includes('object')) this.object(schema, path, depth + 1);
    if (types.includes('array')) {
      if (!isSchema(schema.items))
        fail(path, "'items' is required to be supplied for arrays and to be a schema.");
      this.node(schema.items, [...path, 'items'], depth, false);
    }
  }

  private keywords(schema: Schema, path: Path, types: string[], isRoot: boolean): void {
    for (const key of Object.keys(schema)) {
      if (COMMON_KEYWORDS.has(key)) continue;
      if (isRoot && ROOT_ONLY_KEYWORDS.has(key)) continue;
      if (types.some((t) => KEYWORDS_BY_TYPE[t]?.has(key))) continue;
      fail(path, `'${key}' is not permitted.`);
    }
  }

  private object(schema: Schema, path: Path, depth: number): void {
    if (depth > this.limits.maxNestingDepth) {
      fail(path, `the schema exceeds the maximum nesting depth of ${this.limits.maxNestingDepth} levels.`);
    }
    if (schema.additionalProperties !== false) {
      fail(path, "'additionalProperties' is required to be supplied and to be false.");
    }
    const properties = schema.properties ?? {};
    if (!isSchema(properties)) fail(path, "'properties' must be an object.");
    const keys = Object.keys(properties);
    this.properties += keys.length;
    const required = schema.required;
    const requiredList = Array.isArray(required)
      ? required.filter((r): r is string => typeof r === 'string')
      : [];
    const missing = keys.filter((k) => !requiredList.includes(k));
    if (!Array.isArray(required) || missing.length > 0) {
      const which = missing.length > 0 ? ` Missing '${missing[0]}'.` : '';
      fail(
        path,
        `'required' is required to be supplied and to be an array including every key in properties.${which}`,
      );
    }
    const extra = requiredList.find((r) => !keys.includes(r));
    if (extra !== undefined) fail(path, `Extra required key '${extra}' supplied.`);
    for (const key of keys) {
      const child = properties[key];
      if (!isSchema(child)) fail([...path, 'properties', key], 'schema must be an object.');
      this.node(child, [...path, 'properties', key], depth, false);
    }
  }

  private ref(ref: string, path: Path): void {
    if (ref === '#') return;
    const match = /^#\/(\$defs|definitions)\/([^/]+)$/.exec(ref);
    const defs = match ? this.root[match[1] as string] : undefined;
    if (!match || !isSchema(defs) || !((match[2] as string) in defs))
      fail(path, `reference '${ref}' can't be resolved.`);
  }
}

/** Returns OpenAI's problem description for a strict schema, or null when the schema is acceptable. */
export function checkStrictSchema(schema: unknown, limits: StrictLimits): string | null {
  if (!isSchema(schema))
    return `In context=(), schema must be a JSON Schema of 'type: "object"', got '${typeof schema}'.`;
  try {
    new Checker(schema, limits).run();
    return null;
  } catch (err) {
    if (err instanceof SchemaProblem) return err.message;
    throw err;
  }
}
