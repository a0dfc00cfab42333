import OpenAI from 'openai';
import type { ChatCompletionCreateParamsNonStreaming } from 'openai/resources/chat/completions';
import { startSimulator, type RunningSimulator, type SimulatorOptions } from '../../../simulator';

export const CRITERIA = 'Senior backend engineer, TypeScript, Node.js, remote in EU, salary at least 80k EUR';

export const SCORE_SCHEMA = {
  type: 'object',
  properties: {
    score: { type: 'integer', minimum: 1, maximum: 10 },
    confidence: { type: 'number', minimum: 0, maximum: 1 },
    reasoning: { type: 'string' },
  },
  required: ['score', 'confidence', 'reasoning'],
  additionalProperties: false,
} as const;

export interface Listing {
  title: string;
  company: string;
  location: string;
  seniority: string;
  salary: string;
  language: string;
  description: string;
  requirements: string[];
}

const TITLES = [
  'Senior Backend Engineer',
  'Backend Developer',
  'Senior Full-Stack Engineer',
  'Junior Frontend Developer',
  'Data Scientist',
  'Registered Nurse',
  'Lead Platform Engineer',
  'Java Developer',
];
const STACKS = [
  'TypeScript, Node.js',
  'Java, Spring',
  'Python, Django',
  'React, TypeScript',
  'Go, Kubernetes',
  'Excel',
];
const PLACES = ['Remote (EU)', 'Berlin, on-site', 'Hybrid, Amsterdam', 'Remote, worldwide', 'London office'];
const LEVELS = ['senior', 'mid', 'junior', 'lead'];

/** A deterministic, varied feed: every combination differs in title, stack, place or pay. */
export function makeListings(count: number): Listing[] {
  return Array.from({ length: count }, (_, i) => {
    const title = TITLES[i % TITLES.length] as string;
    const stack = STACKS[(i * 7) % STACKS.length] as string;
    return {
      title: `${title} (${stack})`,
      company: `Company ${i}`,
      location: PLACES[(i * 3) % PLACES.length] as string,
      seniority: LEVELS[(i * 5) % LEVELS.length] as string,
      salary: `${50 + ((i * 13) % 60)}k EUR`,
      language: 'en',
      description: `We build products with ${stack}. Listing number ${i}. You will own services end to end and work with a friendly team across Europe.`,
      requirements: stack.split(', '),
    };
  });
}

export function scoringRequest(
  listing: Listing | string,
  model = 'gpt-4o-mini',
): ChatCompletionCreateParamsNonStreaming {
  return {
    model,
    messages: [
      { role: 'system', content: CRITERIA },
      { role: 'user', content: typeof listing === 'string' ? listing : JSON.stringify(listing) },
    ],
    tools: [
      {
        type: 'function',
        function: { name: 'score_listing', strict: true, parameters: { ...SCORE_SCHEMA } },
      },
    ],
    tool_choice: { type: 'function', function: { name: 'score_listing' } },
  };
}

export interface ScoreArgs {
  score: number;
  confidence: number;
  reasoning: string;
}

export function toolArguments(completion: OpenAI.Chat.Completions.ChatCompletion): string {
  const call = completion.choices[0]?.message.tool_calls?.[0];
  if (!call || call.type !== 'function') throw new Error('expected a function tool call');
  return call.function.arguments;
}

export function parseScore(completion: OpenAI.Chat.Completions.ChatCompletion): ScoreArgs {
  return JSON.parse(toolArguments(completion)) as ScoreArgs;
}

/** Instant answers by default: unit tests measure behaviour, not latency. */
export async function startTestSimulator(
  opts: SimulatorOptions = {},
): Promise<{ sim: RunningSimulator; client: OpenAI }> {
  const sim = await startSimulator({ port: 0, ...opts, config: { latencyScale: 0, ...opts.config } });
  const client = new OpenAI({ baseURL: sim.baseURL, apiKey: 'test', maxRetries: 0 });
  return { sim, client };
}

/** The admin API lives beside /v1, without auth. */
export function adminURL(sim: RunningSimulator, path: string): string {
  return sim.baseURL.replace(/\/v1$/, '') + path;
}
