/**
 * V8 heap flags the worker process runs with (package.json `worker`, the Dockerfile's
 * NODE_OPTIONS and the bench's worker use these values). Without them V8 sizes the heap from
 * the machine's memory (about 4 GB of old space on a 24 GB box) and collects lazily, so the
 * worker's RSS climbed to 700+ MB although what it keeps alive is far smaller. The workflow
 * cache was not the cause: a run keeps some ten executions open, and a cache of 40 instead of
 * 400 changed nothing (bench: 405 vs 402 MB). The rest of the excess was webpack bundling the
 * workflows at start (see build-bundle.ts). With both, the overhead phase peaks at 343 MB at
 * 5,000 listings, worker CPU per listing unchanged.
 */
export const WORKER_NODE_FLAGS = ['--max-old-space-size=256', '--max-semi-space-size=4'] as const;
