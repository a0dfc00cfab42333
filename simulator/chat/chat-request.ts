import type { SimulatorConfig } from '../shared/config';
import { invalidRequest, modelNotFound, apiError, type ApiError } from '../shared/errors';
import { modelFacts, resolveModel, type Encoding, type ModelName } from '../shared/models';
import { sha256Hex } from '../shared/prng';
import { checkStrictSchema } from './strict-schema';
import { countPrompt, TOKENS_PER_MESSAGE, type PromptPart, type PromptSegment } from '../shared/tokens';

/**
 * Validation of a chat-completions request body, in OpenAI's order and wording, producing
 * everything the model needs. Kept free of HTTP so the batch processor can reuse it per line.
 */

type Schema = Record<string, unknown>;

export type ResponseMode =
  | { kind: 'tool'; name: string; schema: Schema; strict: boolean; forced: boolean }
  | { kind: 'json_schema'; name: string; schema: Schema; strict: boolean }
  | { kind: 'json_object' }
  | { kind: 'text' };

export interface PreparedChat {
  model: ModelName;
  /** What the caller asked for (alias or snapshot) and what the response reports. */
  responseModel: string;
  encoding: Encoding;
  promptTokens: number;
  segments: PromptSegment[];
  maxTokens: number | undefined;
  mode: ResponseMode;
  /** System and developer messages: the scoring criteria. */
  criteria: string;
  /** User messages: the listing. */
  listing: string;
  /** Hash of the whole body: keys the fault streams and counts retries of the same request. */
  bodyHash: string;
  /** What the rate limiter charges up front: prompt tokens plus the requested output budget. */
  estimatedTokens: number;
}

const ROLES = new Set(['system', 'developer', 'user', 'assistant', 'tool', 'function']);
const NAME_PATTERN = /^[a-zA-Z0-9_-]{1,64}$/;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Message content is a string or an array of parts; only text parts carry tokens here. */
function contentText(content: unknown): string | undefined {
  if (typeof content === 'string') return content;
  if (content === null || content === undefined) return '';
  if (Array.isArray(content)) {
    return content.map((part) => (isRecord(part) && typeof part.text === 'string' ? part.text : '')).join('');
  }
  return undefined;
}

function positiveInt(body: Record<string, unknown>, key: string): number | undefined | ApiError {
  const value = body[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
    return invalidRequest(
      `Invalid '${key}': expected an integer of at least 1, but got ${JSON.stringify(value)} instead.`,
      key,
      'invalid_value',
    );
  }
  return value;
}

const isError = (value: unknown): value is ApiError =>
  isRecord(value) && 'status' in value && 'body' in value;

function parseTools(
  body: Record<string, unknown>,
  config: SimulatorConfig,
): ResponseMode | ApiError | undefined {
  const tools = body.tools;
  const choice = body.tool_choice;
  if (tools === undefined || tools === null || (Array.isArray(tools) && tools.length === 0)) {
    if (choice !== undefined && choice !== null) {
      return invalidRequest(
        "Invalid value for 'tool_choice': 'tool_choice' is only allowed when 'tools' are specified.",
        'tool_choice',
      );
    }
    return undefined;
  }
  if (!Array.isArray(tools))
    return invalidRequest("Invalid type for 'tools': expected an array.", 'tools', 'invalid_type');
  const parsed: Array<{ name: string; schema: Schema; strict: boolean }> = [];
  for (const [i, tool] of tools.entries()) {
    const fn = isRecord(tool) ? tool.function : undefined;
    if (!isRecord(tool) || tool.type !== 'function' || !isRecord(fn)) {
      return invalidRequest(
        `Invalid value for 'tools[${i}]': expected a function tool.`,
        `tools[${i}]`,
        'invalid_value',
      );
    }
    if (typeof fn.name !== 'string' || !NAME_PATTERN.test(fn.name)) {
      return invalidRequest(
        `Invalid 'tools[${i}].function.name': string does not match pattern. Expected a string that matches the pattern '^[a-zA-Z0-9_-]+$'.`,
        `tools[${i}].function.name`,
        'invalid_value',
      );
    }
    const schema = isRecord(fn.parameters) ? fn.parameters : { type: 'object', properties: {} };
    const strict = fn.strict === true;
    if (strict) {
      const problem = checkStrictSchema(schema, config.strictSchema);
      if (problem) {
        return invalidRequest(
          `Invalid schema for function '${fn.name}': ${problem}`,
          `tools[${i}].function.parameters`,
          'invalid_function_parameters',
        );
      }
    }
    parsed.push({ name: fn.name, schema, strict });
  }
  if (choice === 'none') return { kind: 'text' };
  if (choice === undefined || choice === null || choice === 'auto' || choice === 'required') {
    const first = parsed[0] as (typeof parsed)[number];
    return { kind: 'tool', ...first, forced: false };
  }
  const wanted = isRecord(choice) && isRecord(choice.function) ? choice.function.name : undefined;
  const match = parsed.find((t) => t.name === wanted);
  if (!isRecord(choice) || choice.type !== 'function' || !match) {
    return invalidRequest(
      `Invalid value for 'tool_choice': ${typeof wanted === 'string' ? `function '${wanted}' is not one of the provided tools` : "expected 'none', 'auto', 'required' or a named function"}.`,
      'tool_choice',
      'invalid_value',
    );
  }
  if (config.forcedToolChoice === 'reject') {
    // Worded like servers that send no `param`, so a client must read the message to know why.
    return invalidRequest(
      "'tool_choice' naming a function is not supported by this server; use 'auto' or 'none'.",
    );
  }
  if (config.forcedToolChoice === 'ignore') return { kind: 'text' };
  return { kind: 'tool', ...match, forced: true };
}

function parseResponseFormat(
  body: Record<string, unknown>,
  config: SimulatorConfig,
  model: ModelName,
  allText: string,
): ResponseMode | ApiError | undefined {
  const format = body.response_format;
  if (format === undefined || format === null) return undefined;
  if (!isRecord(format))
    return invalidRequest(
      "Invalid type for 'response_format': expected an object.",
      'response_format',
      'invalid_type',
    );
  if (format.type === 'text') return { kind: 'text' };
  if (format.type === 'json_object') {
    if (!/json/i.test(allText)) {
      return invalidRequest(
        "'messages' must contain the word 'json' in some form, to use 'response_format' of type 'json_object'.",
        'messages',
      );
    }
    return { kind: 'json_object' };
  }
  if (format.type !== 'json_schema') {
    return invalidRequest(
      `Invalid value: '${String(format.type)}'. Supported values are: 'text', 'json_object' and 'json_schema'.`,
      'response_format.type',
      'invalid_value',
    );
  }
  if (!modelFacts(model).jsonSchemaResponseFormat) {
    return invalidRequest(
      "Invalid parameter: 'response_format' of type 'json_schema' is not supported with this model.",
      'response_format',
    );
  }
  const spec = format.json_schema;
  if (!isRecord(spec) || typeof spec.name !== 'string' || !NAME_PATTERN.test(spec.name)) {
    return invalidRequest(
      "Missing required parameter: 'response_format.json_schema.name'.",
      'response_format.json_schema.name',
      'missing_required_parameter',
    );
  }
  const schema = isRecord(spec.schema) ? spec.schema : {};
  const strict = spec.strict === true;
  if (strict) {
    const problem = checkStrictSchema(schema, config.strictSchema);
    if (problem)
      return invalidRequest(
        `Invalid schema for response_format '${spec.name}': ${problem}`,
        'response_format',
      );
  }
  return { kind: 'json_schema', name: spec.name, schema, strict };
}

/** Validates a request body and counts its prompt, or returns the error OpenAI would send. */
export function prepareChat(body: unknown, config: SimulatorConfig): PreparedChat | ApiError {
  if (!isRecord(body)) return invalidRequest('The request body must be a JSON object.');
  if (typeof body.model !== 'string' || body.model === '')
    return invalidRequest('you must provide a model parameter');
  const model = resolveModel(body.model);
  if (!model) return modelNotFound(body.model);
  const messages = body.messages;
  if (messages === undefined)
    return invalidRequest(
      "Missing required parameter: 'messages'.",
      'messages',
      'missing_required_parameter',
    );
  if (!Array.isArray(messages) || messages.length === 0) {
    return invalidRequest(
      "Invalid 'messages': empty array. Expected an array with minimum length 1, but got an empty array instead.",
      'messages',
      'empty_array',
    );
  }
  if (body.stream === true)
    return invalidRequest(
      'The simulator does not support streaming; send stream: false.',
      'stream',
      'unsupported_value',
    );
  if (body.n !== undefined && body.n !== null && body.n !== 1)
    return invalidRequest('The simulator supports only n = 1.', 'n', 'unsupported_value');
  const maxCompletion = positiveInt(body, 'max_completion_tokens');
  const maxTokensParam = positiveInt(body, 'max_tokens');
  if (isError(maxCompletion)) return maxCompletion;
  if (isError(maxTokensParam)) return maxTokensParam;

  const encoding = modelFacts(model).encoding;
  const parts: PromptPart[] = [];
  const criteria: string[] = [];
  const listing: string[] = [];
  for (const [i, message] of messages.entries()) {
    if (!isRecord(message) || typeof message.role !== 'string' || !ROLES.has(message.role)) {
      const role = isRecord(message) ? String(message.role) : 'undefined';
      return invalidRequest(
        `Invalid value: '${role}'. Supported values are: 'system', 'assistant', 'user', 'function', 'tool', and 'developer'.`,
        `messages[${i}].role`,
        'invalid_value',
      );
    }
    const text = contentText(message.content);
    if (text === undefined)
      return invalidRequest(
        `Invalid type for 'messages[${i}].content'.`,
        `messages[${i}].content`,
        'invalid_type',
      );
    if (message.role === 'system' || message.role === 'developer') criteria.push(text);
    if (message.role === 'user') listing.push(text);
    parts.push({ text, overhead: TOKENS_PER_MESSAGE + (typeof message.name === 'string' ? 1 : 0) });
  }
  const allText = parts.map((p) => p.text).join('\n');
  const toolMode = parseTools(body, config);
  if (isError(toolMode)) return toolMode;
  const formatMode = parseResponseFormat(body, config, model, allText);
  if (isError(formatMode)) return formatMode;
  const mode: ResponseMode = toolMode ?? formatMode ?? { kind: 'text' };

  // Tool definitions and the response schema sit ahead of the conversation in the rendered prompt.
  const preamble: PromptPart[] = [];
  if (Array.isArray(body.tools) && body.tools.length > 0)
    preamble.push({ text: JSON.stringify(body.tools), overhead: 0 });
  if (isRecord(body.response_format) && body.response_format.type === 'json_schema') {
    preamble.push({ text: JSON.stringify(body.response_format), overhead: 0 });
  }
  const count = countPrompt([...preamble, ...parts], encoding);
  const maxTokens = maxCompletion ?? maxTokensParam;
  const window = modelFacts(model).contextWindow;
  if (count.total + (maxTokens ?? 0) > window) {
    return apiError(
      400,
      `This model's maximum context length is ${window} tokens. However, you requested ${count.total + (maxTokens ?? 0)} tokens (${count.total} in the messages, ${maxTokens ?? 0} in the completion). Please reduce the length of the messages or completion.`,
      'invalid_request_error',
      'messages',
      'context_length_exceeded',
    );
  }
  return {
    model,
    responseModel: body.model === model ? modelFacts(model).snapshot : body.model,
    encoding,
    promptTokens: count.total,
    segments: count.segments,
    maxTokens,
    mode,
    criteria: criteria.join('\n'),
    listing: listing.join('\n'),
    bodyHash: sha256Hex(JSON.stringify(body)),
    estimatedTokens: count.total + (maxTokens ?? 0),
  };
}

export { isError as isApiError };
