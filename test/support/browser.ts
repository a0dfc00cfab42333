import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

const DEFAULT_CHROMIUM = '/usr/bin/chromium';

/**
 * The network is closed here: without these flags Chromium's background connections (sync,
 * component updates, QUIC probes) fail noisily and can stall start-up.
 */
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Debian's Chromium (CHROMIUM_PATH, else /usr/bin/chromium); never a downloaded browser. */
export function chromiumPath(env: NodeJS.ProcessEnv = process.env): string {
  const path = env.CHROMIUM_PATH || DEFAULT_CHROMIUM;
  if (!existsSync(path)) {
    throw new Error(
      `Chromium not found at ${path}. Install Debian's package (apt-get install chromium) ` +
        'or point CHROMIUM_PATH at a Chromium binary.',
    );
  }
  return path;
}

export interface TestBrowser {
  context: BrowserContext;
  close(): Promise<void>;
}

/**
 * A headless Chromium with a throwaway profile, so no state leaks between runs. Close it in
 * `afterAll`/`finally`; closing also removes the profile directory.
 */
export async function launchBrowser(
  opts: { viewport?: { width: number; height: number } } = {},
): Promise<TestBrowser> {
  const executablePath = chromiumPath();
  const userDataDir = mkdtempSync(join(tmpdir(), 'scoreline-chromium-'));
  try {
    const context = await chromium.launchPersistentContext(userDataDir, {
      executablePath,
      args: CHROMIUM_ARGS,
      viewport: opts.viewport ?? { width: 1440, height: 1000 },
    });
    return {
      context,
      async close() {
        await context.close();
        rmSync(userDataDir, { recursive: true, force: true });
      },
    };
  } catch (err) {
    rmSync(userDataDir, { recursive: true, force: true });
    throw err;
  }
}

/**
 * `page.goto`, retried while the server refuses connections: the dev server reports ready
 * once its gRPC port answers, and its Web UI may come up a moment later.
 */
export async function gotoWhenServing(page: Page, url: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      await page.goto(url);
      return;
    } catch (err) {
      const refused = err instanceof Error && err.message.includes('ERR_CONNECTION_REFUSED');
      if (!refused || Date.now() > deadline) throw err;
      await new Promise((r) => setTimeout(r, 250));
    }
  }
}
