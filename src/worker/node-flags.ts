/**
 * V8 heap flags the worker process runs with (package.json `worker`, the Dockerfile's
 * NODE_OPTIONS and the bench's worker use these values). Without them V8 sizes the heap from
 * the machine's memory (about 4 GB of old space on a 24 GB box) and collects lazily, so the
 * worker's RSS climbed to 700+ MB although what it keeps alive is far smaller: the workflow
 * cache was never the cause (a run keeps at most the parent and its shards in flight, some ten
 * executions). A 256 MB old space and a 4 MB semi-space bound the heap to what the worker uses,
 * at no measurable CPU cost (bench: same worker CPU per listing with and without them).
 */
export const WORKER_NODE_FLAGS = ['--max-old-space-size=256', '--max-semi-space-size=4'] as const;
