import type { Prng } from '../shared/prng';
import type { ModelAnswer } from './model-answer';
import { typesOf } from './strict-schema';

/**
 * Turns the model's answer into a value of the caller's schema, the way a model under strict
 * decoding must: every property present, every type right, numbers within their bounds. Property
 * names decide the meaning (score, confidence, reasoning…), so the pipeline may name its fields
 * freely.
 */

type Schema = Record<string, unknown>;

const SCORE_NAME = /score|rating|relevance|fit/i;
const CONFIDENCE_NAME = /confidence|certainty|probability|likelihood/i;
const REASONING_NAME = /reason|rationale|explanation|justification|summary|comment|why/i;
const MISSING_NAME = /missing|gap|lack|concern|mismatch/i;
/** Recursive schemas ($ref: "#") stop expanding here, like a model that closes its arrays. */
const MAX_FILL_DEPTH = 6;

function isSchema(value: unknown): value is Schema {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

interface Bounds {
  min?: number;
  max?: number;
}

/** The inclusive range a number may take, folding exclusive bounds in by a small step. */
export function boundsOf(schema: Schema, integer: boolean): Bounds {
  const step = integer ? 1 : 1e-6;
  const b: Bounds = {};
  if (typeof schema.minimum === 'number') b.min = schema.minimum;
  if (typeof schema.exclusiveMinimum === 'number') b.min = schema.exclusiveMinimum + step;
  if (typeof schema.maximum === 'number') b.max = schema.maximum;
  if (typeof schema.exclusiveMaximum === 'number') b.max = schema.exclusiveMaximum - step;
  return b;
}

function fitNumber(value: number, schema: Schema, integer: boolean): number {
  const { min, max } = boundsOf(schema, integer);
  let v = value;
  if (typeof schema.multipleOf === 'number' && schema.multipleOf > 0)
    v = Math.round(v / schema.multipleOf) * schema.multipleOf;
  if (integer) v = Math.round(v);
  if (min !== undefined && v < min) v = integer ? Math.ceil(min) : min;
  if (max !== undefined && v > max) v = integer ? Math.floor(max) : max;
  return integer ? v : Math.round(v * 1e6) / 1e6;
}

/** Maps a value on [from, to] onto the schema's own range, when it declares one. */
function rescale(value: number, from: number, to: number, schema: Schema, integer: boolean): number {
  const { min, max } = boundsOf(schema, integer);
  if (min === undefined || max === undefined || (min === from && max === to)) return value;
  return min + ((value - from) / (to - from)) * (max - min);
}

export class SchemaFiller {
  constructor(
    private readonly root: Schema,
    private readonly answer: ModelAnswer,
  ) {}

  fill(): unknown {
    return this.value(this.root, '', 0);
  }

  private resolve(schema: Schema): Schema {
    const ref = schema.$ref;
    if (typeof ref !== 'string') return schema;
    if (ref === '#') return this.root;
    const [, defsKey, name] = /^#\/(\$defs|definitions)\/(.+)$/.exec(ref) ?? [];
    const defs = defsKey ? this.root[defsKey] : undefined;
    const target = isSchema(defs) && name ? defs[name] : undefined;
    return isSchema(target) ? target : {};
  }

  private value(raw: Schema, name: string, depth: number): unknown {
    const schema = this.resolve(raw);
    if ('const' in schema) return schema.const;
    if (Array.isArray(schema.enum) && schema.enum.length > 0) {
      // A score-like enum ("low" … "high") is read as ordered and follows the score.
      const index = Math.min(
        schema.enum.length - 1,
        Math.floor(((this.answer.score - 1) / 10) * schema.enum.length),
      );
      return SCORE_NAME.test(name) ? schema.enum[index] : schema.enum[0];
    }
    if (Array.isArray(schema.anyOf)) {
      const branches = schema.anyOf.filter(isSchema).map((b) => this.resolve(b));
      const chosen = branches.find((b) => !typesOf(b).every((t) => t === 'null')) ?? branches[0];
      return chosen ? this.value(chosen, name, depth) : null;
    }
    const type = typesOf(schema).find((t) => t !== 'null') ?? 'null';
    switch (type) {
      case 'object':
        return this.object(schema, depth);
      case 'array':
        return this.array(schema, name, depth);
      case 'integer':
      case 'number':
        return this.number(schema, name, type === 'integer');
      case 'boolean':
        return this.answer.score >= 6;
      case 'string':
        return this.string(schema, name);
      default:
        return null;
    }
  }

  private object(schema: Schema, depth: number): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    const properties = isSchema(schema.properties) ? schema.properties : {};
    for (const [key, child] of Object.entries(properties)) {
      if (isSchema(child)) out[key] = this.value(child, key, depth + 1);
    }
    return out;
  }

  private array(schema: Schema, name: string, depth: number): unknown[] {
    const min = typeof schema.minItems === 'number' ? schema.minItems : 0;
    const max = typeof schema.maxItems === 'number' ? schema.maxItems : Infinity;
    const items = isSchema(schema.items) ? this.resolve(schema.items) : {};
    const isStrings = typesOf(items).includes('string') && !Array.isArray(items.enum) && !('const' in items);
    let out: unknown[];
    if (isStrings) out = [...(MISSING_NAME.test(name) ? this.answer.missing : this.answer.matched)];
    else out = depth >= MAX_FILL_DEPTH ? [] : [this.value(items, name, depth + 1)];
    while (out.length < min) out.push(isStrings ? 'none' : this.value(items, name, depth + 1));
    return out.slice(0, Math.max(min, Math.min(max, out.length)));
  }

  private number(schema: Schema, name: string, integer: boolean): number {
    if (CONFIDENCE_NAME.test(name)) {
      return fitNumber(rescale(this.answer.confidence, 0, 1, schema, integer), schema, integer);
    }
    if (SCORE_NAME.test(name) || !integer) {
      return fitNumber(rescale(this.answer.score, 1, 10, schema, integer), schema, integer);
    }
    return fitNumber(this.answer.score, schema, integer);
  }

  private string(schema: Schema, name: string): string {
    switch (schema.format) {
      case 'date-time':
        return new Date(0).toISOString();
      case 'date':
        return '1970-01-01';
      case 'email':
        return 'model@example.com';
      case 'uuid':
        return '00000000-0000-4000-8000-000000000000';
      default:
        break;
    }
    if (REASONING_NAME.test(name)) return this.answer.reasoning;
    if (MISSING_NAME.test(name)) return this.answer.missing.join(', ');
    return this.answer.reasoning.slice(0, 80);
  }
}

/** The four ways the brief's schema violations show up, chosen by the fault's own stream. */
export type Violation = 'score_out_of_range' | 'confidence_out_of_range' | 'long_reasoning' | 'missing_field';

/**
 * Breaks a filled answer in one schema-violating way (for the pipeline's validator to catch).
 * Falls back to dropping a field when the schema lacks the property a variant needs.
 */
export function violateSchema(value: unknown, schema: Schema, rng: Prng): Violation {
  if (!isSchema(value)) return 'missing_field';
  const keys = Object.keys(value);
  const props = isSchema(schema.properties) ? schema.properties : {};
  const find = (pattern: RegExp) => keys.find((k) => pattern.test(k));
  const variant = rng.pick<Violation>([
    'score_out_of_range',
    'confidence_out_of_range',
    'long_reasoning',
    'missing_field',
  ]);
  const scoreKey = find(SCORE_NAME);
  const confidenceKey = find(CONFIDENCE_NAME);
  const reasoningKey = find(REASONING_NAME);
  if (variant === 'score_out_of_range' && scoreKey) {
    const child = props[scoreKey];
    const max = isSchema(child) ? boundsOf(child, true).max : undefined;
    value[scoreKey] = (max ?? 10) + 1;
    return variant;
  }
  if (variant === 'confidence_out_of_range' && confidenceKey) {
    value[confidenceKey] = 1.4;
    return variant;
  }
  if (variant === 'long_reasoning' && reasoningKey) {
    value[reasoningKey] = `${String(value[reasoningKey])} `.repeat(40).slice(0, 500);
    return variant;
  }
  const victim = keys.length > 0 ? rng.pick(keys) : undefined;
  if (victim !== undefined) delete value[victim];
  return 'missing_field';
}

/** A fooled model reporting above the schema's maximum (injection + injectionOutsideSchema). */
export function exceedScore(value: unknown, schema: Schema): void {
  if (!isSchema(value)) return;
  const props = isSchema(schema.properties) ? schema.properties : {};
  const key = Object.keys(value).find((k) => SCORE_NAME.test(k));
  if (!key) return;
  const child = props[key];
  value[key] = ((isSchema(child) ? boundsOf(child, true).max : undefined) ?? 10) + 1;
}
