import { QUALITY_SQL, qualityCounts, type QualityRows } from '../sql/quality';
import type { PreviousRunsFilter, QualityStore, RunQualityCounts, RunRecord } from '../store';
import type { PgContext } from './context';
import { RUN_COLUMNS } from './runs';

/** The quality gate's reads on PostgreSQL: the shared statements of sql/quality.ts as written. */
export class PostgresQuality implements QualityStore {
  constructor(private readonly c: PgContext) {}

  async runQualityCounts(runId: string): Promise<RunQualityCounts> {
    const [histogram, calls, canaries] = await Promise.all([
      this.c.pool.query<QualityRows['histogram'][number]>(QUALITY_SQL.histogram, [runId]),
      this.c.pool.query<NonNullable<QualityRows['calls']>>(QUALITY_SQL.calls, [runId]),
      this.c.pool.query<QualityRows['canaries'][number]>(QUALITY_SQL.canaries, [runId]),
    ]);
    return qualityCounts({ histogram: histogram.rows, calls: calls.rows[0], canaries: canaries.rows });
  }

  async previousRuns(f: PreviousRunsFilter): Promise<RunRecord[]> {
    const result = await this.c.pool.query<RunRecord>(
      `SELECT ${RUN_COLUMNS} FROM runs WHERE ${QUALITY_SQL.previousRunsWhere}`,
      [f.criteria, f.onOrBefore, f.excludeRunId, f.limit],
    );
    return result.rows;
  }
}
