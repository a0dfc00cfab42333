import { Tiktoken } from 'js-tiktoken/lite';
import cl100kBase from 'js-tiktoken/ranks/cl100k_base';
import o200kBase from 'js-tiktoken/ranks/o200k_base';
import type { Encoding } from './models';

const encoders = new Map<Encoding, Tiktoken>();

/** Builds an encoder on first use: loading a rank table takes a noticeable fraction of a second. */
function encoderFor(encoding: Encoding): Tiktoken {
  let encoder = encoders.get(encoding);
  if (!encoder) {
    encoder = new Tiktoken(encoding === 'o200k_base' ? o200kBase : cl100kBase);
    encoders.set(encoding, encoder);
  }
  return encoder;
}

/**
 * Counts tokens of plain text. Special-token strings such as `<|endoftext|>` are encoded as ordinary
 * text (empty allow and disallow lists): a listing may contain them and must not crash the server.
 */
export function countTokens(text: string, encoding: Encoding): number {
  if (text.length === 0) return 0;
  return encoderFor(encoding).encode(text, [], []).length;
}

/** Per-message framing cost (role and separators), as in OpenAI's token-counting cookbook. */
export const TOKENS_PER_MESSAGE = 3;
/** Every reply is primed with `<|start|>assistant<|message|>`. */
export const REPLY_PRIMING_TOKENS = 3;

export interface PromptSegment {
  /** Text identifying everything up to and including this segment, for prefix caching. */
  prefixKey: string;
  /** Prompt tokens up to and including this segment. */
  cumulativeTokens: number;
}

export interface PromptCount {
  total: number;
  segments: PromptSegment[];
}

export interface PromptPart {
  /** Tokens counted for the part: its text plus framing. */
  text: string;
  overhead: number;
}

/**
 * Counts a prompt made of ordered parts (tool definitions first, as OpenAI renders them ahead of
 * the conversation, then messages) and remembers each prefix boundary so the prompt cache can
 * match the longest previously seen prefix.
 */
export function countPrompt(parts: PromptPart[], encoding: Encoding): PromptCount {
  const segments: PromptSegment[] = [];
  let cumulative = 0;
  let prefixKey = encoding;
  for (const part of parts) {
    cumulative += countTokens(part.text, encoding) + part.overhead;
    prefixKey += `\u0001${part.text}`;
    segments.push({ prefixKey, cumulativeTokens: cumulative });
  }
  return { total: cumulative + REPLY_PRIMING_TOKENS, segments };
}

/** The text of the first `maxTokens` tokens: what a model emits before hitting its output limit. */
export function truncateToTokens(text: string, maxTokens: number, encoding: Encoding): string {
  const encoder = encoderFor(encoding);
  const tokens = encoder.encode(text, [], []);
  return tokens.length <= maxTokens ? text : encoder.decode(tokens.slice(0, maxTokens));
}
