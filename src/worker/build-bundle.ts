import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { bundleWorkflowCode } from '@temporalio/worker';
import { workflowsEntry } from './create-workers';

/**
 * `node --import tsx src/worker/build-bundle.ts <out.js>`: the workflow code bundled once, ahead
 * of time. A worker given it (SCORELINE_WORKFLOW_BUNDLE) skips bundling with webpack at start,
 * which left about 100 MB of RSS behind for the process's whole life (bench: 298 MB idle
 * without, 197 MB with). Rebuild it with the code it bundles; the Docker image does.
 */
async function main(): Promise<void> {
  const out = process.argv[2];
  if (!out) throw new Error('usage: build-bundle.ts <out.js>');
  const { code } = await bundleWorkflowCode({ workflowsPath: workflowsEntry() });
  mkdirSync(dirname(resolve(out)), { recursive: true });
  writeFileSync(out, code);
  console.log(`workflow bundle: ${out} (${Math.round(code.length / 1024)} KiB)`);
}

main().catch((err: unknown) => {
  console.error(`build-bundle failed: ${err instanceof Error ? err.message : String(err)}`);
  process.exitCode = 1;
});
