/* The workflows of the workflow tier's bundle: the real shard, and a parent that stands in for dailyScoringRun's signal handler. */
import { defineQuery, executeChild, setHandler, workflowInfo } from '@temporalio/workflow';
import type { ShardInput, ShardProgress, ShardTotals } from '../../src/shared/messages';
import { shardProgressSignal } from '../../src/workflows/definitions';
import { scoringShard } from '../../src/workflows/scoring-shard';

export { scoringShard };

export const reportsQuery = defineQuery<ShardProgress[]>('reports');

/** Runs one shard as its child and keeps every progress report the shard sends. */
export async function shardParent(
  input: Omit<ShardInput, 'parentWorkflowId'>,
): Promise<{ totals: ShardTotals; reports: ShardProgress[] }> {
  const reports: ShardProgress[] = [];
  setHandler(shardProgressSignal, (p) => {
    reports.push(p);
  });
  setHandler(reportsQuery, () => reports);
  const { workflowId } = workflowInfo();
  const totals = await executeChild(scoringShard, {
    workflowId: `${workflowId}-shard`,
    args: [{ ...input, parentWorkflowId: workflowId }],
  });
  return { totals, reports };
}
