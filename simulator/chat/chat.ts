import { randomBytes } from 'node:crypto';
import { exceedScore, SchemaFiller, violateSchema } from './answer-fill';
import type { PreparedChat } from './chat-request';
import type { SimulatorConfig } from '../shared/config';
import type { ApiError } from '../shared/errors';
import {
  breakJson,
  drawOutputFault,
  faultStream,
  truncateOutput,
  type FaultKey,
  type OutputFault,
} from './faults';
import { modelFacts } from '../shared/models';
import { sha256Hex } from '../shared/prng';
import type { TokenUsage } from '../shared/pricing';
import type { PromptCache } from './prompt-cache';
import { modelAnswer } from './model-answer';
import { countTokens, truncateToTokens } from '../shared/tokens';

/**
 * The model itself: from a validated request to a `chat.completion` object. No HTTP, rate limits
 * or billing here, so the sync server and the batch processor share exactly one model.
 */

export interface ChatContext {
  config: SimulatorConfig;
  seed: number;
  promptCache: PromptCache;
  now: number;
  /** How many times this exact body was seen before (0 on first sight). */
  attempt: number;
}

interface ToolCall {
  id: string;
  type: 'function';
  function: { name: string; arguments: string };
}

export interface ChatCompletionBody {
  id: string;
  object: 'chat.completion';
  created: number;
  model: string;
  choices: Array<{
    index: number;
    message: {
      role: 'assistant';
      content: string | null;
      refusal: string | null;
      tool_calls?: ToolCall[];
      annotations: unknown[];
    };
    logprobs: null;
    finish_reason: 'stop' | 'length' | 'tool_calls';
  }>;
  usage: {
    prompt_tokens: number;
    completion_tokens: number;
    total_tokens: number;
    prompt_tokens_details: { cached_tokens: number; audio_tokens: number };
    completion_tokens_details: {
      reasoning_tokens: number;
      audio_tokens: number;
      accepted_prediction_tokens: number;
      rejected_prediction_tokens: number;
    };
  };
  service_tier: 'default';
  system_fingerprint: string;
}

export interface ChatOutcome {
  completion: ChatCompletionBody;
  usage: TokenUsage;
  outputFault: OutputFault | undefined;
  /** The answer's noiseless truth, for the stats and for tests that look behind the curtain. */
  truth: number;
}

/** One completion without transport, as the engine runs it for the sync server and for batch lines. */
export type CompletionResult =
  | { ok: true; prepared: PreparedChat; outcome: ChatOutcome; attempt: number }
  | { ok: false; error: ApiError };

const REFUSAL = "I'm sorry, but I can't help with that request.";

function randomId(prefix: string, length: number): string {
  return prefix + randomBytes(length).toString('base64url').replace(/[-_]/g, 'x').slice(0, length);
}

export function systemFingerprint(model: string): string {
  return `fp_${sha256Hex(`fingerprint:${model}`).slice(0, 10)}`;
}

/** Produces the completion for a prepared request, applying any output fault drawn for it. */
export function generateChat(req: PreparedChat, ctx: ChatContext): ChatOutcome {
  const { config } = ctx;
  const driftApplies = config.drift.models === undefined || config.drift.models.includes(req.model);
  const answer = modelAnswer(
    {
      seed: ctx.seed,
      model: req.model,
      noiseSigma: config.noiseSigma[req.model] ?? 0.5,
      scoreShift: driftApplies ? config.drift.scoreShift : 0,
      injectionSusceptibility: config.injectionSusceptibility[req.model] ?? 0,
    },
    req.criteria,
    req.listing,
  );
  const key: FaultKey = { seed: ctx.seed, bodyHash: req.bodyHash, attempt: ctx.attempt };
  const fault = drawOutputFault(config, key);
  const mode = req.mode;

  let text: string;
  if (mode.kind === 'text') {
    text = `Score: ${answer.score}/10 (confidence ${answer.confidence}). ${answer.reasoning}`;
  } else {
    const schema =
      mode.kind === 'json_object'
        ? {
            type: 'object',
            properties: {
              score: { type: 'integer' },
              confidence: { type: 'number' },
              reasoning: { type: 'string' },
            },
          }
        : mode.schema;
    const value = new SchemaFiller(schema, answer).fill();
    if (answer.fooled && config.injectionOutsideSchema) exceedScore(value, schema);
    if (fault === 'schemaViolation')
      violateSchema(value, schema, faultStream(key, 'schemaViolation:variant'));
    text = JSON.stringify(value);
    if (fault === 'invalidJson') text = breakJson(text, faultStream(key, 'invalidJson:variant'));
  }

  let finish: 'stop' | 'length' | 'tool_calls' = mode.kind === 'tool' && !mode.forced ? 'tool_calls' : 'stop';
  if (fault === 'truncated') {
    text = truncateOutput(text);
    finish = 'length';
  }
  if (req.maxTokens !== undefined && countTokens(text, req.encoding) > req.maxTokens) {
    text = truncateToTokens(text, req.maxTokens, req.encoding);
    finish = 'length';
  }

  const message: ChatCompletionBody['choices'][number]['message'] = {
    role: 'assistant',
    content: null,
    refusal: null,
    annotations: [],
  };
  let completionText = text;
  if (fault === 'refusal') {
    message.refusal = REFUSAL;
    completionText = REFUSAL;
    finish = 'stop';
  } else if (mode.kind === 'tool') {
    message.tool_calls = [
      { id: randomId('call_', 24), type: 'function', function: { name: mode.name, arguments: text } },
    ];
  } else {
    message.content = text;
  }

  const promptTokens = req.promptTokens;
  const cachedTokens = ctx.promptCache.cachedTokens(
    req.model,
    req.segments,
    promptTokens,
    ctx.now,
    config.promptCacheTtlMs,
  );
  const completionTokens = countTokens(completionText, req.encoding);
  const completion: ChatCompletionBody = {
    id: randomId('chatcmpl-', 29),
    object: 'chat.completion',
    created: Math.floor(ctx.now / 1000),
    model: req.responseModel,
    choices: [{ index: 0, message, logprobs: null, finish_reason: finish }],
    usage: {
      prompt_tokens: promptTokens,
      completion_tokens: completionTokens,
      total_tokens: promptTokens + completionTokens,
      prompt_tokens_details: { cached_tokens: cachedTokens, audio_tokens: 0 },
      completion_tokens_details: {
        reasoning_tokens: 0,
        audio_tokens: 0,
        accepted_prediction_tokens: 0,
        rejected_prediction_tokens: 0,
      },
    },
    service_tier: 'default',
    system_fingerprint: systemFingerprint(modelFacts(req.model).snapshot),
  };
  return {
    completion,
    usage: { promptTokens, cachedTokens, completionTokens },
    outputFault: fault,
    truth: answer.truth,
  };
}
