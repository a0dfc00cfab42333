import OpenAI from 'openai';
import { afterEach, describe, expect, it } from 'vitest';
import { batchLine } from '../../../src/batch/lines';
import { completeScoring, OutputModeFallback } from '../../../src/llm/client';
import {
  answerText,
  ignoredForcedTool,
  OutputModes,
  parseModelModes,
  rejectedTools,
  wireRequest,
} from '../../../src/llm/output-mode';
import { buildReaskRequest, buildScoringRequest, promptHash } from '../../../src/scoring/prompt';
import { scoreListingTool } from '../../../src/scoring/schema';
import { validateModelOutput } from '../../../src/scoring/validate';
import { startSimulator, type RunningSimulator } from '../../../simulator';
import type { Listing } from '../../../src/feed/listing';
import { validListing } from '../feed/fixtures';

const CRITERIA = 'Senior TypeScript engineer, remote in the EU';
const request = () => buildScoringRequest('gpt-4o-mini', CRITERIA, validListing() as unknown as Listing);

describe('output mode request building', () => {
  it('sends the canonical forced tool call unchanged in tools mode', () => {
    const r = request();
    expect(wireRequest(r, 'tools')).toBe(r);
  });

  it('moves the same strict schema into response_format in json_schema mode, without tools', () => {
    const wire = wireRequest(request(), 'json_schema') as unknown as Record<string, unknown>;
    expect(wire.tools).toBeUndefined();
    expect(wire.tool_choice).toBeUndefined();
    expect(wire.response_format).toEqual({
      type: 'json_schema',
      json_schema: {
        name: 'score_listing',
        description: scoreListingTool.function.description,
        strict: true,
        schema: scoreListingTool.function.parameters,
      },
    });
    expect(wire.messages).toEqual(request().messages);
    expect(wire.max_completion_tokens).toBe(request().max_completion_tokens);
  });

  it('turns a re-ask tool turn into plain assistant and user turns in json_schema mode', () => {
    const reask = buildReaskRequest(request(), { toolArguments: '{"score":11}', error: 'score too big' });
    const wire = wireRequest(reask, 'json_schema');
    const tail = wire.messages.slice(-2);
    expect(tail[0]).toEqual({ role: 'assistant', content: '{"score":11}' });
    expect(tail[1]?.role).toBe('user');
    expect(tail[1]?.content).toContain('score too big');
  });

  it('keeps the prompt hash independent of the output mode', () => {
    // The hash is computed from the canonical request before the mode is known, so a retry in
    // another process (which may not have learned the fallback yet) still finds the paid call.
    const r = request();
    const before = promptHash(r);
    wireRequest(r, 'json_schema');
    expect(promptHash(r)).toBe(before);
  });

  it('writes batch lines in the configured mode', () => {
    const line = JSON.parse(batchLine('l-1', 0, request(), 'json_schema')) as {
      body: Record<string, unknown>;
    };
    expect(line.body.response_format).toBeDefined();
    expect(line.body.tools).toBeUndefined();
    const tools = JSON.parse(batchLine('l-1', 0, request())) as { body: Record<string, unknown> };
    expect(tools.body.tool_choice).toEqual({ type: 'function', function: { name: 'score_listing' } });
  });
});

describe('output mode answer extraction', () => {
  const args = '{"score":7,"confidence":0.8,"reasoning":"Good fit."}';

  it('reads the tool arguments in tools mode and the content in json_schema mode, to the same verdict', () => {
    const toolAnswer = answerText(
      { content: null, tool_calls: [{ type: 'function', function: { arguments: args } }] },
      'tools',
    );
    const jsonAnswer = answerText({ content: args }, 'json_schema');
    expect(toolAnswer).toBe(args);
    expect(jsonAnswer).toBe(args);
    const verdict = (t: string | null) =>
      validateModelOutput({ finishReason: 'stop', toolArguments: t, refusal: null });
    expect(verdict(toolAnswer)).toEqual(verdict(jsonAnswer));
  });

  it('finds no answer in content when tools mode expected a tool call', () => {
    expect(answerText({ content: args }, 'tools')).toBeNull();
  });

  it('takes a text answer without a tool call as an ignored forced tool, even when cut off', () => {
    const choice = (message: object, finish_reason: string) =>
      ({
        index: 0,
        logprobs: null,
        finish_reason,
        message: { role: 'assistant', refusal: null, ...message },
      }) as never;
    expect(ignoredForcedTool(choice({ content: 'The listing is a good fit' }, 'stop'))).toBe(true);
    expect(ignoredForcedTool(choice({ content: 'The listing is a good fit, because' }, 'length'))).toBe(true);
    expect(ignoredForcedTool(choice({ content: '' }, 'length'))).toBe(false);
    expect(ignoredForcedTool(choice({ content: null, refusal: 'I cannot help' }, 'stop'))).toBe(false);
    const cut = {
      content: null,
      tool_calls: [{ id: 'c', type: 'function', function: { name: 'score_listing', arguments: '{"sc' } }],
    };
    expect(ignoredForcedTool(choice(cut, 'length'))).toBe(false);
  });

  it('recognises a 400 about tools by its param, or by its message when a server sends none', () => {
    expect(rejectedTools({ status: 400, param: 'tool_choice', message: 'x' })).toBe(true);
    expect(rejectedTools({ status: 400, param: null, message: "'tool_choice' is not supported" })).toBe(true);
    expect(rejectedTools({ status: 400, param: 'messages', message: 'bad messages' })).toBe(false);
    expect(rejectedTools({ status: 500, param: 'tool_choice', message: 'tools' })).toBe(false);
  });

  it('does not take a refused function schema for refused tools: json_schema would send the same schema', () => {
    const schema = "Invalid schema for function 'score_listing': object has too many properties";
    expect(rejectedTools({ status: 400, param: 'tools[0].function.parameters', message: schema })).toBe(
      false,
    );
    expect(rejectedTools({ status: 400, param: null, message: schema })).toBe(false);
    expect(rejectedTools({ status: 400, param: 'tools[0].function.name', message: 'bad name' })).toBe(true);
  });

  it('parses per-model overrides and names a bad entry', () => {
    expect(parseModelModes('smollm2=json_schema, gpt-4o=tools')).toEqual({
      smollm2: 'json_schema',
      'gpt-4o': 'tools',
    });
    expect(() => parseModelModes('smollm2=grammar')).toThrow(/"smollm2=grammar"/);
  });

  it('fixes a batch to tools unless json_schema is configured', () => {
    const modes = new OutputModes({ default: 'auto', perModel: { local: 'json_schema' } });
    expect(modes.batchModeFor('gpt-4o')).toBe('tools');
    expect(modes.batchModeFor('local')).toBe('json_schema');
  });
});

describe('auto output mode against the simulator over HTTP', () => {
  let sim: RunningSimulator | undefined;
  afterEach(async () => {
    await sim?.close();
    sim = undefined;
  });

  async function start(forcedToolChoice: 'honour' | 'ignore' | 'reject') {
    sim = await startSimulator({ port: 0, config: { latencyScale: 0, forcedToolChoice } });
    return new OpenAI({ baseURL: sim.baseURL, apiKey: 'test', maxRetries: 0 });
  }

  it('keeps forced tools where the server honours them', async () => {
    const client = await start('honour');
    const learned: string[] = [];
    const modes = new OutputModes({ default: 'auto', perModel: {} }, (f) => learned.push(f.reason));
    const result = await completeScoring(client, request(), undefined, modes);
    expect(result.outputMode).toBe('tools');
    expect(validateModelOutput(result.output).valid).toBe(true);
    expect(learned).toEqual([]);
  });

  it('falls back to json_schema once a server ignores the forced tool, billing the ignored call', async () => {
    const client = await start('ignore');
    const learned: string[] = [];
    const modes = new OutputModes({ default: 'auto', perModel: {} }, (f) => learned.push(f.reason));
    const first = await completeScoring(client, request(), undefined, modes).catch((e: unknown) => e);
    expect(first).toBeInstanceOf(OutputModeFallback);
    expect((first as OutputModeFallback).usage.promptTokens).toBeGreaterThan(0);
    expect((first as OutputModeFallback).usage.completionTokens).toBeGreaterThan(0);
    const second = await completeScoring(client, request(), undefined, modes);
    expect(second.outputMode).toBe('json_schema');
    expect(validateModelOutput(second.output)).toMatchObject({ valid: true });
    await completeScoring(client, request(), undefined, modes);
    expect(learned).toHaveLength(1);
    expect(learned[0]).toMatch(/ignored a forced tool call/);
  });

  it('falls back to json_schema when a server rejects the forced tool with a 400', async () => {
    const client = await start('reject');
    const modes = new OutputModes({ default: 'auto', perModel: {} });
    const first = await completeScoring(client, request(), undefined, modes).catch((e: unknown) => e);
    expect(first).toBeInstanceOf(OutputModeFallback);
    expect((first as OutputModeFallback).usage).toEqual({
      promptTokens: 0,
      cachedTokens: 0,
      completionTokens: 0,
    });
    expect((first as OutputModeFallback).message).toMatch(/tool_choice/);
    const second = await completeScoring(client, request(), undefined, modes);
    expect(second.outputMode).toBe('json_schema');
    expect(validateModelOutput(second.output).valid).toBe(true);
  });

  it('remembers the fallback per base URL and model, not for every server', async () => {
    const client = await start('ignore');
    const modes = new OutputModes({ default: 'auto', perModel: {} });
    await completeScoring(client, request(), undefined, modes).catch(() => undefined);
    expect(modes.modeFor(client.baseURL, 'gpt-4o-mini').mode).toBe('json_schema');
    expect(modes.modeFor(client.baseURL, 'gpt-4o').mode).toBe('tools');
    expect(modes.modeFor('http://elsewhere/v1', 'gpt-4o-mini').mode).toBe('tools');
  });

  it('leaves an ignored tool call to the validation gate in plain tools mode', async () => {
    const client = await start('ignore');
    const modes = new OutputModes({ default: 'tools', perModel: {} });
    const result = await completeScoring(client, request(), undefined, modes);
    expect(result.outputMode).toBe('tools');
    expect(validateModelOutput(result.output)).toEqual({
      valid: false,
      code: 'no_tool_call',
      reason: 'no tool call: model did not call score_listing',
    });
  });

  it('answers 404 on files and batches when the simulator has no Batch API', async () => {
    sim = await startSimulator({ port: 0, config: { latencyScale: 0, batchApi: false } });
    const client = new OpenAI({ baseURL: sim.baseURL, apiKey: 'test', maxRetries: 0 });
    await expect(client.batches.list({ limit: 1 })).rejects.toMatchObject({ status: 404 });
    await expect(client.files.list({ limit: 1 })).rejects.toMatchObject({ status: 404 });
  });
});
