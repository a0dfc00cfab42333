import * as Sentry from '@sentry/node';

/**
 * Error tracking through Sentry, only when a DSN is configured (SENTRY_DSN): worker and CLI
 * failures, activity failures that end in a dead letter, and drift alarms. Every event passes
 * `beforeSend`, which replaces each configured secret (the API key) wherever it appears, so a
 * key inside an error message never leaves the process. No automatic instrumentation: the SDK
 * neither patches modules nor installs its own OpenTelemetry provider (tracing is ours, see
 * tracing.ts), and it never sees listing text, only ids and reasons.
 */
export interface ErrorTracker {
  readonly enabled: boolean;
  error(err: unknown, context: Record<string, string | number | boolean | undefined>): void;
  deadLetter(letter: {
    runId: string;
    listingId: string;
    reason: string;
    errorType: string;
    lastError: string;
  }): void;
  drift(alarm: {
    runId: string;
    runDate: string;
    summary: string;
    failed: string[];
    publication: string;
  }): void;
  /** Waits for queued events to go out (before a process exits). */
  flush(timeoutMs?: number): Promise<boolean>;
}

export interface ErrorTrackingOptions {
  dsn: string | undefined;
  component: 'worker' | 'cli';
  secrets: Array<string | undefined>;
  environment?: string;
  release?: string;
}

const NOOP: ErrorTracker = {
  enabled: false,
  error: () => undefined,
  deadLetter: () => undefined,
  drift: () => undefined,
  flush: () => Promise.resolve(true),
};

/** Replaces every secret in every string of a JSON-like value, keys included. */
export function scrubSecrets<T>(value: T, secrets: readonly string[]): T {
  if (secrets.length === 0) return value;
  const walk = (v: unknown): unknown => {
    if (typeof v === 'string') return secrets.reduce((s, secret) => s.split(secret).join('[redacted]'), v);
    if (Array.isArray(v)) return v.map(walk);
    if (v && typeof v === 'object')
      return Object.fromEntries(Object.entries(v).map(([k, x]) => [walk(k) as string, walk(x)]));
    return v;
  };
  return walk(value) as T;
}

export function initErrorTracking(o: ErrorTrackingOptions): ErrorTracker {
  if (!o.dsn) return NOOP;
  // Short secrets would redact ordinary words; an API key is far longer.
  const secrets = o.secrets.filter((s): s is string => typeof s === 'string' && s.length >= 8);
  const client = Sentry.initWithoutDefaultIntegrations({
    dsn: o.dsn,
    environment: o.environment,
    release: o.release,
    enableOpenTelemetrySetup: false,
    integrations: [Sentry.linkedErrorsIntegration(), Sentry.dedupeIntegration()],
    initialScope: { tags: { component: o.component } },
    beforeSend: (event) => scrubSecrets(event, secrets),
  });
  const tags = (context: Record<string, unknown>) =>
    Object.fromEntries(
      Object.entries(context)
        .filter(([, v]) => v !== undefined)
        .map(([k, v]) => [k, String(v)]),
    );
  return {
    enabled: true,
    error(err, context) {
      Sentry.captureException(err, { tags: tags(context) });
    },
    deadLetter(letter) {
      // One issue per reason and error type, not per listing: a thousand letters are one problem.
      Sentry.captureMessage(`dead letter: ${letter.reason} (${letter.errorType})`, {
        level: 'error',
        fingerprint: ['dead-letter', letter.reason, letter.errorType],
        tags: tags({
          event: 'dead_letter',
          runId: letter.runId,
          reason: letter.reason,
          errorType: letter.errorType,
        }),
        extra: { listingId: letter.listingId, lastError: letter.lastError },
      });
    },
    drift(alarm) {
      Sentry.captureMessage(`drift detected in run ${alarm.runId}: ${alarm.summary}`, {
        level: 'warning',
        fingerprint: ['drift', ...alarm.failed],
        tags: tags({
          event: 'drift_detected',
          runId: alarm.runId,
          runDate: alarm.runDate,
          publication: alarm.publication,
        }),
        extra: { failed: alarm.failed },
      });
    },
    flush: (timeoutMs = 5000) => Promise.resolve(client?.flush(timeoutMs) ?? true),
  };
}
