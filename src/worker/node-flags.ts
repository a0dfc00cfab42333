/**
 * V8 heap flags the worker process runs with (package.json `worker`, the Dockerfile's
 * NODE_OPTIONS and the bench's worker use these values). Without them V8 sizes the heap from
 * the machine's memory (about 4 GB of old space on a 24 GB box) and collects lazily, so the
 * worker's RSS climbed to 700+ MB although what it keeps alive is far smaller. The workflow
 * cache was not the cause: a run keeps some ten executions open, and a cache of 40 instead of
 * 400 changed nothing (bench: 405 vs 402 MB). The rest of the excess was webpack bundling the
 * workflows at start (see build-bundle.ts). With both, the overhead phase peaks at 343 MB at
 * 5,000 listings, worker CPU per listing unchanged.
 *
 * The young generation is the other side of that trade: with 4 MB semi-spaces the scavenger
 * ran so often that GC was 16% of the worker's CPU (V8 profile of the overhead phase). Worker
 * CPU per listing in single overhead runs on the shared 2-core machine: 7.1 ms with 4 MB,
 * 6.2 ms with 8 MB, 6.5 ms with 16 MB; peak RSS 348, 378 and 396 MB. 16 MB buys nothing more
 * and its extra RSS (three semi-spaces' worth) would break the 400 MB budget at 100,000.
 */
export const WORKER_NODE_FLAGS = ['--max-old-space-size=256', '--max-semi-space-size=8'] as const;
