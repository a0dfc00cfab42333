import type { Config } from '../config';
import { SqliteStore } from '../store/sqlite';
import type { CallFilter, CallStatus } from '../store/store';
import { int, table, usd } from './format';

/** Read-only views over the store for the CLI: results, the call history and dead letters. */
async function withStore<T>(config: Config, fn: (s: SqliteStore) => Promise<T>): Promise<T> {
  const store = new SqliteStore(config.dbPath);
  try {
    await store.migrate();
    return await fn(store);
  } finally {
    await store.close();
  }
}

export async function printResults(config: Config, runId: string, limit: number): Promise<string> {
  return withStore(config, async (s) => {
    const run = await s.getRun(runId);
    if (!run) throw new Error(`no run "${runId}" in ${config.dbPath}`);
    const rows = await s.listScores(runId, limit, 0);
    const t = await s.runTotals(runId);
    return [
      `Run ${runId} (${run.runDate}, ${run.status}): ${int(t.scored)} scored, ${int(t.deadLettered)} dead-lettered, ${usd(t.costPico / 1e12)}`,
      table([
        ['listing', 'score', 'conf', 'model', 'reasoning'],
        ...rows.map((r) => [
          r.listingId,
          String(r.score),
          r.confidence.toFixed(2),
          r.model,
          r.reasoning.slice(0, 80),
        ]),
      ]),
    ].join('\n');
  });
}

export interface CallsOptions {
  run?: string;
  listing?: string;
  model?: string;
  status?: string;
  hash?: string;
  since?: string;
  until?: string;
  limit: number;
}

export async function printCalls(config: Config, o: CallsOptions): Promise<string> {
  if (o.status && o.status !== 'ok' && o.status !== 'error') {
    throw new Error(`--status must be "ok" or "error", got "${o.status}"`);
  }
  for (const [flag, value] of [
    ['--since', o.since],
    ['--until', o.until],
  ] as const) {
    if (value && Number.isNaN(Date.parse(value)))
      throw new Error(`${flag} must be an ISO date or time, got "${value}"`);
  }
  const filter: CallFilter = {
    runId: o.run,
    listingId: o.listing,
    model: o.model,
    status: o.status as CallStatus | undefined,
    promptHash: o.hash,
    since: o.since ? new Date(o.since).toISOString() : undefined,
    until: o.until ? new Date(o.until).toISOString() : undefined,
    limit: o.limit,
  };
  return withStore(config, async (s) => {
    const calls = await s.listCalls(filter);
    return table([
      ['id', 'started', 'listing', 'model', 'try', 'prompt hash', 'ms', 'in', 'out', 'cost', 'result'],
      ...calls.map((c) => [
        String(c.id),
        c.startedAt.slice(0, 19),
        c.listingId,
        c.model,
        String(c.attempt),
        c.promptHash,
        String(c.durationMs),
        String(c.promptTokens),
        String(c.completionTokens),
        usd(c.costPico / 1e12),
        c.status === 'ok'
          ? c.validation === 'invalid'
            ? `invalid: ${c.validationError ?? ''}`.slice(0, 60)
            : `${c.validation}${c.score !== null ? ` score ${c.score}` : ''}`
          : `${c.errorType ?? 'error'}: ${c.errorMessage ?? ''}`.slice(0, 60),
      ]),
    ]);
  });
}

export async function printDeadLetters(config: Config, runId: string | undefined): Promise<string> {
  return withStore(config, async (s) => {
    const letters = await s.listDeadLetters(runId);
    if (letters.length === 0) return 'no dead letters';
    return table([
      ['run', 'listing', 'reason', 'type', 'tries', 'model', 'status', 'last error'],
      ...letters.map((d) => [
        d.runId,
        d.listingId,
        d.reason,
        d.errorType,
        String(d.attempts),
        d.model ?? '-',
        d.status,
        d.lastError.slice(0, 70),
      ]),
    ]);
  });
}
