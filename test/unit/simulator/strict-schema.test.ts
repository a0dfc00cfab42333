import OpenAI, { type APIError } from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningSimulator } from '../../../simulator';
import { DEFAULT_CONFIG } from '../../../simulator';
import { checkStrictSchema } from '../../../simulator/chat/strict-schema';
import { SCORE_SCHEMA, startTestSimulator } from './helpers';

const limits = DEFAULT_CONFIG.strictSchema;
const check = (schema: unknown) => checkStrictSchema(schema, limits);
const object = (properties: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
  type: 'object',
  properties,
  required: Object.keys(properties),
  additionalProperties: false,
  ...extra,
});

describe('strict schema rules', () => {
  it('accepts the scoring schema with minimum and maximum on numbers', () => {
    expect(check(SCORE_SCHEMA)).toBeNull();
  });

  it('accepts nullable unions, enums, anyOf branches, $defs references and recursion', () => {
    const schema = object(
      {
        note: { type: ['string', 'null'] },
        level: { type: 'string', enum: ['low', 'high'] },
        value: { anyOf: [{ type: 'number', multipleOf: 0.5 }, { $ref: '#/$defs/tag' }] },
        children: { type: 'array', items: { $ref: '#' }, minItems: 0, maxItems: 3 },
        when: { type: 'string', format: 'date-time', pattern: '^2' },
      },
      { $defs: { tag: object({ name: { type: 'string' } }) } },
    );
    expect(check(schema)).toBeNull();
  });

  it('requires additionalProperties false on every object, nested ones included', () => {
    expect(check({ ...SCORE_SCHEMA, additionalProperties: undefined })).toBe(
      "In context=(), 'additionalProperties' is required to be supplied and to be false.",
    );
    const nested = object({
      inner: { type: 'object', properties: { a: { type: 'string' } }, required: ['a'] },
    });
    expect(check(nested)).toBe(
      "In context=('properties', 'inner'), 'additionalProperties' is required to be supplied and to be false.",
    );
  });

  it('requires every property to be listed in required', () => {
    expect(check({ ...SCORE_SCHEMA, required: ['score', 'confidence'] })).toBe(
      "In context=(), 'required' is required to be supplied and to be an array including every key in properties. Missing 'reasoning'.",
    );
  });

  it('rejects keywords strict mode does not support, such as maxLength, allOf and default', () => {
    const withMaxLength = object({ reasoning: { type: 'string', maxLength: 200 } });
    expect(check(withMaxLength)).toBe(
      "In context=('properties', 'reasoning'), 'maxLength' is not permitted.",
    );
    expect(check(object({ a: { type: 'integer', default: 1 } }))).toContain("'default' is not permitted");
    expect(check(object({ a: { allOf: [{ type: 'string' }] } }))).toContain("'allOf' is not permitted");
    expect(check(object({ a: { type: 'array', items: { type: 'string' }, uniqueItems: true } }))).toContain(
      "'uniqueItems' is not permitted",
    );
  });

  it('requires an object root that is not anyOf', () => {
    expect(check({ type: 'array', items: { type: 'string' } })).toContain(
      `schema must be a JSON Schema of 'type: "object"'`,
    );
    expect(check({ anyOf: [SCORE_SCHEMA] })).toContain("got 'anyOf'");
  });

  it('rejects nesting deeper than the configured limit', () => {
    let schema: Record<string, unknown> = object({ leaf: { type: 'string' } });
    for (let i = 0; i < limits.maxNestingDepth; i++) schema = object({ child: schema });
    expect(check(schema)).toContain('maximum nesting depth of 10 levels');
  });

  it('rejects unresolvable references and unsupported string formats', () => {
    expect(check(object({ a: { $ref: '#/$defs/missing' } }))).toContain(
      "reference '#/$defs/missing' can't be resolved",
    );
    expect(check(object({ a: { type: 'string', format: 'credit-card' } }))).toContain(
      "'format' value 'credit-card'",
    );
  });
});

describe('strict schema errors over HTTP', () => {
  let sim: RunningSimulator;
  let client: OpenAI;
  beforeAll(async () => {
    ({ sim, client } = await startTestSimulator());
  });
  afterAll(() => sim.close());

  it("rejects a strict schema without additionalProperties false with OpenAI's 400 shape", async () => {
    const error = await client.chat.completions
      .create({
        model: 'gpt-4o-mini',
        messages: [{ role: 'user', content: 'score this' }],
        tools: [
          {
            type: 'function',
            function: {
              name: 'score_listing',
              strict: true,
              parameters: { ...SCORE_SCHEMA, additionalProperties: true },
            },
          },
        ],
        tool_choice: { type: 'function', function: { name: 'score_listing' } },
      })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.BadRequestError);
    const apiError = error as APIError;
    expect(apiError.status).toBe(400);
    expect(apiError.type).toBe('invalid_request_error');
    expect(apiError.param).toBe('tools[0].function.parameters');
    expect(apiError.message).toContain(
      "Invalid schema for function 'score_listing': In context=(), 'additionalProperties' is required to be supplied and to be false.",
    );
  });

  it('names the response_format in a json_schema strict error', async () => {
    const error = await client.chat.completions
      .create({
        model: 'gpt-4o',
        messages: [{ role: 'user', content: 'score this' }],
        response_format: {
          type: 'json_schema',
          json_schema: { name: 'score', strict: true, schema: { ...SCORE_SCHEMA, required: ['score'] } },
        },
      })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.BadRequestError);
    expect((error as APIError).param).toBe('response_format');
    expect((error as APIError).message).toContain("Invalid schema for response_format 'score'");
  });

  it('accepts a non-strict tool schema that strict mode would reject', async () => {
    const completion = await client.chat.completions.create({
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: 'score this' }],
      tools: [
        {
          type: 'function',
          function: {
            name: 'score_listing',
            parameters: { type: 'object', properties: { score: { type: 'integer' } } },
          },
        },
      ],
      tool_choice: { type: 'function', function: { name: 'score_listing' } },
    });
    expect(completion.choices[0]!.message.tool_calls).toHaveLength(1);
  });
});
