import { forSqlite } from '../sql/placeholders';
import { QUALITY_SQL, qualityCounts, type QualityRows } from '../sql/quality';
import type { PreviousRunsFilter, QualityStore, RunQualityCounts, RunRecord } from '../store';
import type { Row, SqliteContext } from './context';
import { toRun } from './runs';

/** The quality gate's reads on SQLite: the shared statements of sql/quality.ts with `?` placeholders. */
export class SqliteQuality implements QualityStore {
  constructor(private readonly c: SqliteContext) {}

  runQualityCounts(runId: string): Promise<RunQualityCounts> {
    const all = <R>(sql: string) => this.c.prepared(forSqlite(sql)).all(runId) as R[];
    return Promise.resolve(
      qualityCounts({
        histogram: all(QUALITY_SQL.histogram),
        calls: all<QualityRows['calls']>(QUALITY_SQL.calls)[0],
        canaries: all(QUALITY_SQL.canaries),
      }),
    );
  }

  previousRuns(f: PreviousRunsFilter): Promise<RunRecord[]> {
    const rows = this.c
      .prepared(forSqlite(`SELECT * FROM runs WHERE ${QUALITY_SQL.previousRunsWhere}`))
      .all(f.criteria, f.onOrBefore, f.excludeRunId, f.limit) as Row[];
    return Promise.resolve(rows.map(toRun));
  }
}
