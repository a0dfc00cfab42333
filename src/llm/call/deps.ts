import type { SharedTokenLimiter } from '../rate-limits/shared-limiter';
import type { Logger } from '../../observability/logger';
import type { PipelineMetrics } from '../../observability/metrics';
import type { BackoffConfig } from '../../scoring/backoff';
import type { PriceTable } from '../../scoring/pricing';
import type { Store } from '../../store/store';

/** What one synchronous LLM call touches around the request itself (a subset of ActivityDeps). */
export interface CallDeps {
  store: Store;
  prices: PriceTable;
  logger: Logger;
  backoff: BackoffConfig;
  tokenLimiter?: SharedTokenLimiter;
  metrics?: PipelineMetrics;
}
