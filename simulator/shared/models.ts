/** The models the simulated provider serves, and the facts about each that change its answers. */
export const KNOWN_MODELS = [
  'gpt-4o-mini',
  'gpt-4o',
  'gpt-4.1',
  'gpt-4.1-mini',
  'gpt-4.1-nano',
  'gpt-4-turbo',
  'gpt-4',
] as const;

export type ModelName = (typeof KNOWN_MODELS)[number];

export type Encoding = 'o200k_base' | 'cl100k_base';

interface ModelFacts {
  /** The dated snapshot OpenAI reports in `model` when the alias is requested. */
  snapshot: string;
  encoding: Encoding;
  contextWindow: number;
  /**
   * `response_format: json_schema` arrived with gpt-4o-2024-08-06 / gpt-4o-mini; older models
   * only get strict mode through function calling, and OpenAI answers 400 otherwise.
   */
  jsonSchemaResponseFormat: boolean;
  created: number;
}

const FACTS: Record<ModelName, ModelFacts> = {
  'gpt-4o-mini': {
    snapshot: 'gpt-4o-mini-2024-07-18',
    encoding: 'o200k_base',
    contextWindow: 128_000,
    jsonSchemaResponseFormat: true,
    created: 1721172741,
  },
  'gpt-4o': {
    snapshot: 'gpt-4o-2024-08-06',
    encoding: 'o200k_base',
    contextWindow: 128_000,
    jsonSchemaResponseFormat: true,
    created: 1715367049,
  },
  'gpt-4.1': {
    snapshot: 'gpt-4.1-2025-04-14',
    encoding: 'o200k_base',
    contextWindow: 1_047_576,
    jsonSchemaResponseFormat: true,
    created: 1744316542,
  },
  'gpt-4.1-mini': {
    snapshot: 'gpt-4.1-mini-2025-04-14',
    encoding: 'o200k_base',
    contextWindow: 1_047_576,
    jsonSchemaResponseFormat: true,
    created: 1744318173,
  },
  'gpt-4.1-nano': {
    snapshot: 'gpt-4.1-nano-2025-04-14',
    encoding: 'o200k_base',
    contextWindow: 1_047_576,
    jsonSchemaResponseFormat: true,
    created: 1744321707,
  },
  'gpt-4-turbo': {
    snapshot: 'gpt-4-turbo-2024-04-09',
    encoding: 'cl100k_base',
    contextWindow: 128_000,
    jsonSchemaResponseFormat: false,
    created: 1712361441,
  },
  'gpt-4': {
    snapshot: 'gpt-4-0613',
    encoding: 'cl100k_base',
    contextWindow: 8_192,
    jsonSchemaResponseFormat: false,
    created: 1687882411,
  },
};

/** Resolves an alias or a dated snapshot name to the model it bills as; undefined if unknown. */
export function resolveModel(requested: string): ModelName | undefined {
  for (const name of KNOWN_MODELS) {
    if (requested === name || requested === FACTS[name].snapshot) return name;
  }
  return undefined;
}

export function modelFacts(model: ModelName): ModelFacts {
  return FACTS[model];
}

export function isKnownModel(name: string): name is ModelName {
  return (KNOWN_MODELS as readonly string[]).includes(name);
}
