import { SpanStatusCode, trace } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { Resource } from '@opentelemetry/resources';
import { BatchSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { OpenTelemetryPlugin } from '@temporalio/interceptors-opentelemetry';

/**
 * OpenTelemetry tracing, only when OTEL_EXPORTER_OTLP_ENDPOINT is set: the Temporal plugin adds
 * workflow and activity spans (propagated through headers, so a shard's spans sit under its
 * run), and every LLM and embedding call is a span of its own carrying model, tokens and cost.
 * Spans go out over OTLP/HTTP (JSON) to `<endpoint>/v1/traces`, in batches.
 */
export interface Tracing {
  plugin: OpenTelemetryPlugin;
  shutdown(): Promise<void>;
}

export function initTracing(
  endpoint: string | undefined,
  serviceName = 'scoreline-worker',
): Tracing | undefined {
  if (!endpoint) return undefined;
  const resource = new Resource({ 'service.name': serviceName });
  const exporter = new OTLPTraceExporter({ url: `${endpoint.replace(/\/+$/, '')}/v1/traces` });
  const spanProcessor = new BatchSpanProcessor(exporter, { scheduledDelayMillis: 1000 });
  // The global provider: activity spans and the call spans below go through it.
  const provider = new NodeTracerProvider({ resource, spanProcessors: [spanProcessor] });
  provider.register();
  return {
    plugin: new OpenTelemetryPlugin({ resource, spanProcessor }),
    shutdown: () => provider.shutdown(),
  };
}

export interface CallSpan {
  name: 'llm_call' | 'embedding_call';
  model: string;
  route: string;
  startedAt: Date;
  durationMs: number;
  promptTokens: number;
  cachedTokens?: number;
  completionTokens?: number;
  costUsd: number;
  error?: string;
  attributes?: Record<string, string | number>;
}

/**
 * One finished provider call as a span under the current (activity) span. Recorded after the
 * fact from what the call row holds, so the span and the ledger can never disagree. Without a
 * registered provider this is OpenTelemetry's no-op tracer and costs next to nothing.
 */
export function recordCallSpan(c: CallSpan): void {
  const span = trace.getTracer('scoreline').startSpan(c.name, {
    startTime: c.startedAt,
    attributes: {
      'gen_ai.request.model': c.model,
      'gen_ai.usage.input_tokens': c.promptTokens,
      'gen_ai.usage.output_tokens': c.completionTokens ?? 0,
      'scoreline.cached_tokens': c.cachedTokens ?? 0,
      'scoreline.cost_usd': c.costUsd,
      'scoreline.route': c.route,
      ...c.attributes,
    },
  });
  if (c.error) span.setStatus({ code: SpanStatusCode.ERROR, message: c.error });
  span.end(new Date(c.startedAt.getTime() + c.durationMs));
}
