import type { TestProject } from 'vitest/node';
import { installCompatWheels } from '../../src/dev/llama-server';
import { startLlamaServer } from '../../src/dev/llama-server';

declare module 'vitest' {
  export interface ProvidedContext {
    /** llama.cpp's own server with SmolLM2-135M, e.g. http://127.0.0.1:PORT (no /v1). */
    llamaUpstream: string;
    llamaModel: string;
  }
}

/**
 * The compat tier's model server, started once: llama.cpp's HTTP server from the pinned
 * PyPI wheel with a real small model. Two slots, so two calls decode at once on 2 cores.
 * (The Temporal dev server comes from test/integration/global-setup.ts, listed beside this.)
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  installCompatWheels();
  const llama = await startLlamaServer({ parallel: 2, ctx: 8192 });
  project.provide('llamaUpstream', llama.baseURL.replace(/\/v1$/, ''));
  project.provide('llamaModel', llama.alias);
  return () => llama.stop();
}
