import type { Route } from '../scoring/pricing';

/** The LLM call log: one row per call attempt, and the validation step's verdict on it. */
export interface CallStore {
  recordCall(call: NewCallRecord): Promise<number>;
  /**
   * `recordCall` for many calls in one transaction: all are recorded or none. Returns their
   * ids in the order given. For steps that record thousands (a collected batch), a chunk at a time.
   */
  recordCalls(calls: NewCallRecord[]): Promise<number[]>;
  /** A successful call for exactly this prompt in this run, so a retry never pays twice. */
  findReusableCall(runId: string, listingId: string, promptHash: string): Promise<CallRecord | undefined>;
  getCall(callId: number): Promise<CallRecord | undefined>;
  setCallVerdict(callId: number, verdict: CallVerdict): Promise<void>;
  listCalls(filter: CallFilter): Promise<CallRecord[]>;
}

export type CallStatus = 'ok' | 'error';

export interface NewCallRecord {
  runId: string;
  listingId: string;
  workflowId: string;
  attempt: number;
  model: string;
  route: Route;
  promptHash: string;
  promptVersion: string;
  schemaVersion: string;
  startedAt: string;
  durationMs: number;
  promptTokens: number;
  cachedTokens: number;
  completionTokens: number;
  costPico: number;
  status: CallStatus;
  errorType: string | null;
  errorMessage: string | null;
  finishReason: string | null;
  toolArguments: string | null;
  refusal: string | null;
  /** The provider's batch id for a call answered through the Batch API. */
  batchId?: string | null;
}

export type Validation = 'pending' | 'valid' | 'invalid';

export interface CallRecord extends NewCallRecord {
  id: number;
  validation: Validation;
  validationError: string | null;
  score: number | null;
  confidence: number | null;
  reasoning: string | null;
}

export type CallVerdict =
  | { validation: 'valid'; score: number; confidence: number; reasoning: string }
  | { validation: 'invalid'; error: string };

export interface CallFilter {
  runId?: string;
  listingId?: string;
  /** Calls of any of these listings: one query for a chunk of them (an empty list matches none). */
  listingIds?: string[];
  model?: string;
  status?: CallStatus;
  promptHash?: string;
  batchId?: string;
  validation?: Validation;
  since?: string;
  until?: string;
  /** Only calls with a larger id: the next page after the last one read (ids only grow). */
  afterId?: number;
  limit?: number;
}
