import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import type { WithWorkflowArgs } from '@temporalio/common';
import {
  getExternalWorkflowHandle,
  sleep,
  startChild,
  type ChildWorkflowHandle,
  type ChildWorkflowOptions,
  type Workflow,
} from '@temporalio/workflow';

const ATTEMPTS = 15;

/**
 * Starts a child, replacing an orphan that holds its id. After a reset from the Web UI the
 * new run starts its children under the same ids while the old run's children may still be
 * closing; those are asked to cancel and the start is retried on a durable timer. Replacing
 * them is safe: every store write is idempotent and successful LLM calls are reused.
 */
export async function startChildReplacingOrphan<T extends Workflow>(
  workflowType: string,
  options: WithWorkflowArgs<T, ChildWorkflowOptions> & { workflowId: string },
): Promise<ChildWorkflowHandle<T>> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await startChild<T>(workflowType, options);
    } catch (err) {
      if (!(err instanceof WorkflowExecutionAlreadyStartedError) || attempt >= ATTEMPTS) throw err;
      try {
        await getExternalWorkflowHandle(options.workflowId).cancel();
      } catch {
        // It closed meanwhile: the next start will go through.
      }
      await sleep('2 seconds');
    }
  }
}
