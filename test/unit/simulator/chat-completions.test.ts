import OpenAI, { type APIError } from 'openai';
import { getEncoding } from 'js-tiktoken';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningSimulator } from '../../../simulator';
import {
  CRITERIA,
  SCORE_SCHEMA,
  makeListings,
  parseScore,
  scoringRequest,
  startTestSimulator,
} from './helpers';

let sim: RunningSimulator;
let client: OpenAI;

beforeAll(async () => {
  ({ sim, client } = await startTestSimulator());
});
afterAll(() => sim.close());

const listing = makeListings(1)[0]!;

describe('chat completions', () => {
  it('answers a forced strict tool call with finish_reason stop and conforming JSON-string arguments', async () => {
    const completion = await client.chat.completions.create(scoringRequest(listing));
    const choice = completion.choices[0]!;
    expect(choice.finish_reason).toBe('stop');
    expect(choice.message.content).toBeNull();
    expect(completion.id).toMatch(/^chatcmpl-/);
    expect(completion.object).toBe('chat.completion');
    expect(completion.model).toBe('gpt-4o-mini-2024-07-18');
    expect(completion.system_fingerprint).toMatch(/^fp_/);
    const call = choice.message.tool_calls![0]!;
    expect(call.type).toBe('function');
    expect(call.id).toMatch(/^call_/);
    if (call.type !== 'function') throw new Error('function call expected');
    expect(call.function.name).toBe('score_listing');
    expect(typeof call.function.arguments).toBe('string');
    const args = parseScore(completion);
    expect(Object.keys(args).sort()).toEqual(['confidence', 'reasoning', 'score']);
    expect(Number.isInteger(args.score)).toBe(true);
    expect(args.score).toBeGreaterThanOrEqual(1);
    expect(args.score).toBeLessThanOrEqual(10);
    expect(args.confidence).toBeGreaterThanOrEqual(0);
    expect(args.confidence).toBeLessThanOrEqual(1);
    expect(args.reasoning.length).toBeLessThanOrEqual(200);
  });

  it('ends an auto-chosen tool call with finish_reason tool_calls', async () => {
    const { tool_choice: _forced, ...request } = scoringRequest(listing);
    const completion = await client.chat.completions.create({ ...request, tool_choice: 'auto' });
    expect(completion.choices[0]!.finish_reason).toBe('tool_calls');
    expect(parseScore(completion).score).toBeGreaterThanOrEqual(1);
  });

  it('returns the JSON string in message.content for a strict json_schema response_format', async () => {
    const completion = await client.chat.completions.create({
      model: 'gpt-4.1-mini',
      messages: scoringRequest(listing).messages,
      response_format: {
        type: 'json_schema',
        json_schema: { name: 'score', strict: true, schema: { ...SCORE_SCHEMA } },
      },
    });
    const content = completion.choices[0]!.message.content!;
    const parsed = JSON.parse(content) as Record<string, unknown>;
    expect(Object.keys(parsed).sort()).toEqual(['confidence', 'reasoning', 'score']);
    expect(completion.choices[0]!.message.tool_calls).toBeUndefined();
  });

  it('rejects json_schema response_format on gpt-4, which only has strict mode through tools, like OpenAI', async () => {
    const request = client.chat.completions.create({
      model: 'gpt-4',
      messages: [{ role: 'user', content: 'hi' }],
      response_format: {
        type: 'json_schema',
        json_schema: { name: 'score', strict: true, schema: { ...SCORE_SCHEMA } },
      },
    });
    await expect(request).rejects.toThrow(OpenAI.BadRequestError);
  });

  it('answers 401 with an AuthenticationError when no bearer key is sent', async () => {
    const anonymous = new OpenAI({
      baseURL: sim.baseURL,
      apiKey: 'x',
      maxRetries: 0,
      defaultHeaders: { Authorization: null },
    });
    const error = await anonymous.chat.completions.create(scoringRequest(listing)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.AuthenticationError);
    expect((error as APIError).type).toBe('invalid_request_error');
  });

  it('answers 404 model_not_found with OpenAI wording for an unknown model', async () => {
    const error = await client.chat.completions
      .create(scoringRequest(listing, 'gpt-5-imaginary'))
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.NotFoundError);
    const apiError = error as APIError;
    expect(apiError.code).toBe('model_not_found');
    expect(apiError.message).toContain(
      'The model `gpt-5-imaginary` does not exist or you do not have access to it.',
    );
  });

  it('answers 400 to a body that is not JSON', async () => {
    const response = await fetch(`${sim.baseURL}/chat/completions`, {
      method: 'POST',
      headers: { authorization: 'Bearer test', 'content-type': 'application/json' },
      body: '{"model": "gpt-4o-mini",',
    });
    expect(response.status).toBe(400);
    const body = (await response.json()) as { error: { type: string; param: null; code: null } };
    expect(body.error).toMatchObject({ type: 'invalid_request_error', param: null, code: null });
  });

  it('counts prompt and completion tokens with tiktoken and reports them in usage', async () => {
    const request = scoringRequest(listing);
    const completion = await client.chat.completions.create(request);
    const enc = getEncoding('o200k_base');
    const messagesTokens = request.messages.reduce(
      (sum, m) => sum + enc.encode(m.content as string).length + 3,
      0,
    );
    const toolTokens = enc.encode(JSON.stringify(request.tools)).length;
    const usage = completion.usage!;
    expect(usage.prompt_tokens).toBe(messagesTokens + toolTokens + 3);
    expect(usage.completion_tokens).toBe(enc.encode(parseScoreText(completion)).length);
    expect(usage.total_tokens).toBe(usage.prompt_tokens + usage.completion_tokens);
    expect(usage.completion_tokens_details?.reasoning_tokens).toBe(0);
    expect(usage.prompt_tokens_details?.cached_tokens).toBe(0);
  });

  it('uses cl100k_base for gpt-4-turbo', async () => {
    const completion = await client.chat.completions.create({
      model: 'gpt-4-turbo',
      messages: [{ role: 'user', content: 'Hello world' }],
    });
    const enc = getEncoding('cl100k_base');
    expect(completion.usage!.prompt_tokens).toBe(enc.encode('Hello world').length + 3 + 3);
  });

  it('reports a repeated long prefix as cached tokens in multiples of 128', async () => {
    const longCriteria = `${CRITERIA}. ${'We value clean code, testing and ownership of production systems. '.repeat(120)}`;
    const request = (text: string) => ({
      ...scoringRequest(text, 'gpt-4.1'),
      messages: [
        { role: 'system' as const, content: longCriteria },
        { role: 'user' as const, content: text },
      ],
    });
    const first = await client.chat.completions.create(request('listing one: Backend Engineer'));
    const second = await client.chat.completions.create(request('listing two: Data Scientist'));
    expect(first.usage!.prompt_tokens).toBeGreaterThan(1024);
    expect(first.usage!.prompt_tokens_details!.cached_tokens).toBe(0);
    const cached = second.usage!.prompt_tokens_details!.cached_tokens!;
    expect(cached).toBeGreaterThanOrEqual(1024);
    expect(cached % 128).toBe(0);
    expect(cached).toBeLessThan(second.usage!.prompt_tokens);
  });

  it('cuts the output at max_completion_tokens and ends with finish_reason length', async () => {
    const completion = await client.chat.completions.create({
      ...scoringRequest(listing),
      max_completion_tokens: 5,
    });
    expect(completion.choices[0]!.finish_reason).toBe('length');
    expect(completion.usage!.completion_tokens).toBe(5);
  });

  it('lists the known models', async () => {
    const ids = [];
    for await (const model of client.models.list()) ids.push(model.id);
    expect(ids.sort()).toEqual([
      'gpt-4',
      'gpt-4-turbo',
      'gpt-4.1',
      'gpt-4.1-mini',
      'gpt-4.1-nano',
      'gpt-4o',
      'gpt-4o-mini',
    ]);
  });

  it('sends x-request-id, openai-processing-ms and x-ratelimit headers on success', async () => {
    const { response } = await client.chat.completions.create(scoringRequest(listing)).withResponse();
    expect(response.headers.get('x-request-id')).toMatch(/^req_/);
    expect(response.headers.get('openai-processing-ms')).toMatch(/^\d+$/);
    expect(response.headers.get('x-ratelimit-limit-requests')).toBe('30000');
    expect(response.headers.get('x-ratelimit-remaining-tokens')).toMatch(/^\d+$/);
    expect(response.headers.get('x-ratelimit-reset-requests')).toMatch(/^[\d.]+(ms|s)$/);
  });
});

function parseScoreText(completion: OpenAI.Chat.Completions.ChatCompletion): string {
  const call = completion.choices[0]!.message.tool_calls![0]!;
  return call.type === 'function' ? call.function.arguments : '';
}
