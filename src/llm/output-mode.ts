import type OpenAI from 'openai';
import type { ChatCompletionCreateParamsNonStreaming } from 'openai/resources/chat/completions';
import type { ChatMessage, ChatRequest } from '../scoring/prompt';
import { scoreListingResponseFormat } from '../scoring/schema';

/**
 * How the model is made to answer in the schema. `tools` forces a `score_listing` function
 * call (what OpenAI honours best); `json_schema` asks for a strict `response_format` instead,
 * which llama.cpp, vLLM and others enforce with a grammar while ignoring a forced tool_choice.
 * Either way the answer is the same JSON text, and `validateModelOutput` alone judges it.
 */
export type OutputMode = 'tools' | 'json_schema';
/** `auto`: forced tools first; a server that ignores or rejects them is switched to json_schema. */
export type OutputModeSetting = OutputMode | 'auto';
export const OUTPUT_MODE_SETTINGS = ['tools', 'json_schema', 'auto'] as const;

export interface OutputModeConfig {
  default: OutputModeSetting;
  /** Per model name: a provider that serves several models may need different modes. */
  perModel: Record<string, OutputModeSetting>;
}

export const DEFAULT_OUTPUT_MODES: OutputModeConfig = { default: 'auto', perModel: {} };

/**
 * The wire request for one mode. The canonical `ChatRequest` (and so the prompt hash) is the
 * tools form; json_schema moves the same schema into `response_format` and turns a re-ask's
 * rejected tool call into plain turns, since a request without tools may not carry tool turns.
 */
export function wireRequest(request: ChatRequest, mode: OutputMode): ChatCompletionCreateParamsNonStreaming {
  if (mode === 'tools') return request;
  const { tools: _tools, tool_choice: _choice, messages, ...rest } = request;
  return { ...rest, messages: messages.map(plainTurn), response_format: scoreListingResponseFormat };
}

function plainTurn(m: ChatMessage): ChatCompletionCreateParamsNonStreaming['messages'][number] {
  if (m.role === 'assistant')
    return { role: 'assistant', content: m.tool_calls[0]?.function.arguments ?? '' };
  if (m.role === 'tool') return { role: 'user', content: m.content };
  return m;
}

/** The part of an answer message we read; loose, so batch output lines (plain JSON) fit too. */
export interface AnswerMessage {
  content?: string | null;
  tool_calls?: ReadonlyArray<{ type: string; function?: { arguments: string } }>;
}

/** The raw answer text the validation gate reads: the tool call's arguments, or the JSON content. */
export function answerText(message: AnswerMessage | undefined, mode: OutputMode): string | null {
  if (!message) return null;
  if (mode === 'json_schema') return message.content ?? null;
  return message.tool_calls?.find((c) => c.type === 'function')?.function?.arguments ?? null;
}

/**
 * A forced tool_choice that the server ignored: an answer, not a refusal, with no tool call.
 * A server that honours the forcing still returns the (cut-off) call when it runs out of
 * tokens, so text cut off at the limit counts as well (small local models ramble); only an
 * empty truncated answer proves nothing.
 */
export function ignoredForcedTool(
  choice: OpenAI.Chat.Completions.ChatCompletion.Choice | undefined,
): boolean {
  if (!choice || choice.message.refusal) return false;
  if (choice.message.tool_calls?.some((c) => c.type === 'function')) return false;
  if (choice.finish_reason === 'length') return Boolean(choice.message.content?.trim());
  return true;
}

/**
 * A 400 that refuses the tools themselves. OpenAI names the offending parameter in `param`;
 * other servers often send no `param` at all, so for them the message is read as well: this
 * is the one place a message is matched, because there is no other signal to read.
 */
export function rejectedTools(err: unknown): boolean {
  const e = err as { status?: unknown; param?: unknown; message?: unknown };
  if (e?.status !== 400) return false;
  // A schema the server refuses is the same schema under json_schema: no fallback would help,
  // and the call must fail once, as any other bad request does.
  if (typeof e.param === 'string' && /\.parameters\b/.test(e.param)) return false;
  if (typeof e.message === 'string' && /invalid schema/i.test(e.message)) return false;
  if (
    e.param === 'tool_choice' ||
    e.param === 'tools' ||
    (typeof e.param === 'string' && e.param.startsWith('tools['))
  )
    return true;
  return typeof e.message === 'string' && /\btool_choice\b|\btools?\b|\bfunction call/i.test(e.message);
}

/**
 * The process's choice of mode per server and model. What `auto` learns is kept for the
 * process's life (a server that ignored forced tools once will again) and logged once.
 */
export class OutputModes {
  private readonly learned = new Map<string, { mode: OutputMode; reason: string }>();

  constructor(
    private readonly config: OutputModeConfig = DEFAULT_OUTPUT_MODES,
    private readonly onLearn?: (fact: { baseURL: string; model: string; reason: string }) => void,
  ) {}

  settingFor(model: string): OutputModeSetting {
    return this.config.perModel[model] ?? this.config.default;
  }

  /** The mode for the next synchronous call, and whether a fallback may still be learned. */
  modeFor(baseURL: string, model: string): { mode: OutputMode; canFallBack: boolean } {
    const setting = this.settingFor(model);
    if (setting !== 'auto') return { mode: setting, canFallBack: false };
    const learned = this.learned.get(key(baseURL, model));
    return learned ? { mode: learned.mode, canFallBack: false } : { mode: 'tools', canFallBack: true };
  }

  /**
   * A batch cannot fall back mid-file, and its lines are read back in another process, so its
   * mode is fixed by configuration: servers with a Batch API honour forced tools.
   */
  batchModeFor(model: string): OutputMode {
    return this.settingFor(model) === 'json_schema' ? 'json_schema' : 'tools';
  }

  /** Records that a server needs json_schema; true the first time (the caller's cue to log). */
  fallBack(baseURL: string, model: string, reason: string): boolean {
    const k = key(baseURL, model);
    if (this.learned.has(k)) return false;
    this.learned.set(k, { mode: 'json_schema', reason });
    this.onLearn?.({ baseURL, model, reason });
    return true;
  }
}

function key(baseURL: string, model: string): string {
  return `${baseURL} ${model}`;
}

/** `SCORELINE_OUTPUT_MODE_MODELS`: `model=mode,model=mode`; a bad entry names itself. */
export function parseModelModes(raw: string | undefined): Record<string, OutputModeSetting> {
  const out: Record<string, OutputModeSetting> = {};
  if (!raw) return out;
  for (const entry of raw
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)) {
    const i = entry.lastIndexOf('=');
    const model = entry.slice(0, i).trim();
    const mode = entry.slice(i + 1).trim();
    if (i <= 0 || !model || !(OUTPUT_MODE_SETTINGS as readonly string[]).includes(mode)) {
      throw new Error(
        `SCORELINE_OUTPUT_MODE_MODELS: "${entry}" is not model=mode with mode one of ${OUTPUT_MODE_SETTINGS.join(', ')}`,
      );
    }
    out[model] = mode as OutputModeSetting;
  }
  return out;
}
