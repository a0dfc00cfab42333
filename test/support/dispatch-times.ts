import type { Client } from '@temporalio/client';
import { tsToMs } from '@temporalio/common/lib/time';
import { forEachRunHistory } from '../../src/client/report/actions';

/**
 * When the server handed each activity task of a queue to a worker (ActivityTaskStarted's time,
 * ms, sorted), over every execution of a run: the moments the queue's rate limiter let through.
 * Times taken inside the workers instead also hold how long a busy worker took to get to a task,
 * which bunches them on a loaded machine.
 */
export async function dispatchTimes(
  client: Client,
  workflowId: string,
  taskQueue: string,
): Promise<number[]> {
  const times: number[] = [];
  await forEachRunHistory(client, workflowId, (events) => {
    const onQueue = new Set<string>();
    for (const e of events) {
      const scheduled = e.activityTaskScheduledEventAttributes;
      if (scheduled?.taskQueue?.name === taskQueue) onQueue.add(String(e.eventId));
      const started = e.activityTaskStartedEventAttributes;
      if (started && onQueue.has(String(started.scheduledEventId)) && e.eventTime) {
        times.push(tsToMs(e.eventTime));
      }
    }
  });
  return times.sort((a, b) => a - b);
}
