import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Where a process's CPU went, from a V8 .cpuprofile (`node --cpu-prof`): self time grouped
 * by package (node_modules/<pkg>) or project folder (src/<dir>), so the report can name what
 * dominates without anyone opening a flame graph. Pure apart from the file reader.
 */

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string };
}

export interface CpuProfile {
  nodes: ProfileNode[];
  /** Microseconds on the system's monotonic clock (the one process.hrtime reads), so windows line up across processes. */
  startTime: number;
  samples: number[];
  timeDeltas: number[];
}

/** Monotonic microseconds, comparable with a profile's sample times. */
export function monotonicUs(): number {
  return Number(process.hrtime.bigint() / 1000n);
}

export interface ProfileShare {
  where: string;
  selfMs: number;
  share: number;
}

/** The bucket a frame's self time goes to. */
export function bucketOf(url: string, functionName: string): string {
  if (url === '') {
    // V8's own entries: "(garbage collector)", "(program)", "(idle)"; other native code.
    return functionName.startsWith('(') ? functionName : '(native)';
  }
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg) return pkg[1] as string;
  const project = /\/(src|bench|test)\/([^/]+)/.exec(url);
  if (project) return `${project[1]}/${(project[2] as string).replace(/\.[tj]s$/, '')}`;
  if (url.startsWith('node:')) return `node:${url.slice(5).split('/')[0] ?? ''}`;
  // Workflow code runs from the SDK's in-memory bundle, whose frames carry no file of ours.
  return '(workflow bundle)';
}

/**
 * Self time per bucket over every thread's profile (the worker's main thread and its workflow
 * threads), counting only samples inside `window` when given: start-up bundling is not the run.
 */
export function summarizeProfiles(
  profiles: readonly CpuProfile[],
  window?: { fromUs: number; toUs: number },
  top = 12,
): ProfileShare[] {
  const totals = new Map<string, number>();
  let all = 0;
  for (const profile of profiles) {
    const byId = new Map(profile.nodes.map((n) => [n.id, n]));
    let t = profile.startTime;
    profile.samples.forEach((id, i) => {
      const dt = profile.timeDeltas[i] ?? 0;
      t += dt;
      if (window && (t < window.fromUs || t > window.toUs)) return;
      const node = byId.get(id);
      if (!node) return;
      const where = bucketOf(node.callFrame.url, node.callFrame.functionName);
      if (where === '(idle)') return; // waiting is not work
      totals.set(where, (totals.get(where) ?? 0) + dt / 1000);
      all += dt / 1000;
    });
  }
  return [...totals]
    .map(([where, selfMs]) => ({ where, selfMs, share: all > 0 ? selfMs / all : 0 }))
    .sort((a, b) => b.selfMs - a.selfMs)
    .slice(0, top);
}

/** Every thread's profile written to `dir`. */
export function readProfiles(dir: string): CpuProfile[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.cpuprofile'))
    .map((f) => JSON.parse(readFileSync(join(dir, f), 'utf8')) as CpuProfile);
}
