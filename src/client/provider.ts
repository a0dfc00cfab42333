import type { Config } from '../config';

/** Where the local commands (`score`, `calibrate`) send LLM calls. */
export type ProviderChoice =
  | { kind: 'real'; baseURL: string | undefined; apiKey: string; describe: string }
  | { kind: 'simulator'; describe: string };

/**
 * The real provider when the environment names one (OPENAI_API_KEY or OPENAI_BASE_URL), else
 * the simulator. A base URL alone is a local OpenAI-compatible server (llama.cpp, vLLM,
 * Ollama), which takes any key; the SDK still wants one, so a placeholder goes along.
 */
export function chooseProvider(openai: Config['openai']): ProviderChoice {
  if (!openai.apiKey && !openai.baseURL) {
    return {
      kind: 'simulator',
      describe:
        'the simulator (set OPENAI_API_KEY, and OPENAI_BASE_URL for another server, to score for real)',
    };
  }
  const where = openai.baseURL ?? 'https://api.openai.com/v1';
  return {
    kind: 'real',
    baseURL: openai.baseURL,
    apiKey: openai.apiKey ?? 'sk-no-key-required',
    describe: `${where} (from ${openai.apiKey ? 'OPENAI_API_KEY' : ''}${openai.apiKey && openai.baseURL ? ' and ' : ''}${openai.baseURL ? 'OPENAI_BASE_URL' : ''}; unset to use the simulator)`,
  };
}
