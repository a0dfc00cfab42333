import { z } from 'zod';

/** Bumped whenever the function schema changes: part of the cache key and of every call record. */
export const SCHEMA_VERSION = 'score_listing.v1';
export const REASONING_MAX_CHARS = 200;

/**
 * The `score_listing` function the model must call. Strict mode guarantees the shape
 * (types, required fields, no extra properties) and, per OpenAI's structured-outputs docs,
 * honours `minimum`/`maximum` on numbers; string length bounds are not among the keywords it
 * documents, so the 200-character limit is stated in the description and enforced by
 * `scoreResultSchema` below, which is the only gate in front of the database.
 */
export const scoreListingTool = {
  type: 'function',
  function: {
    name: 'score_listing',
    description: 'Score how relevant one job listing is to the scoring criteria.',
    strict: true,
    parameters: {
      type: 'object',
      properties: {
        score: {
          type: 'integer',
          minimum: 1,
          maximum: 10,
          description: 'Relevance from 1 (irrelevant) to 10 (perfect match).',
        },
        confidence: {
          type: 'number',
          minimum: 0,
          maximum: 1,
          description: 'Confidence in the score, from 0 to 1.',
        },
        reasoning: {
          type: 'string',
          description: `One sentence of justification, at most ${REASONING_MAX_CHARS} characters.`,
        },
      },
      required: ['score', 'confidence', 'reasoning'],
      additionalProperties: false,
    },
  },
} as const;

/**
 * The same schema as a strict `response_format`, for servers that ignore a forced tool call
 * (see src/llm/output-mode.ts). One definition, so the two modes cannot drift apart, and
 * SCHEMA_VERSION covers both.
 */
export const scoreListingResponseFormat = {
  type: 'json_schema',
  json_schema: {
    name: scoreListingTool.function.name,
    description: scoreListingTool.function.description,
    strict: true,
    schema: scoreListingTool.function.parameters,
  },
} as const;

/** Every bound of the schema, checked again on our side: a model's output is input. */
export const scoreResultSchema = z
  .object({
    score: z.number().int('score must be a whole number').min(1).max(10),
    confidence: z.number().min(0).max(1),
    reasoning: z
      .string()
      .trim()
      .min(1, 'reasoning must not be empty')
      .max(REASONING_MAX_CHARS, `reasoning must be at most ${REASONING_MAX_CHARS} characters`),
  })
  .strict();

export type ScoreResult = z.infer<typeof scoreResultSchema>;
