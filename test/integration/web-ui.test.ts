import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { dailyScoringRun } from '../../src/workflows';
import { gotoWhenServing, launchBrowser, type TestBrowser } from '../support/browser';
import { feedRun, Harness } from '../support/harness';

const address = inject('temporalAddress');
const uiUrl = inject('temporalUiUrl');
const RESULTS = resolve(__dirname, '..', '..', 'test-results');
const RUN_DATE = '2026-11-29';
const LISTINGS = 40;
/** How long one UI element may take to appear: the UI is a SPA that fetches after load. */
const UI_TIMEOUT_MS = 15_000;

let harness: Harness | undefined;
let browser: TestBrowser | undefined;

afterEach(async () => {
  await browser?.close();
  browser = undefined;
  await harness?.stop();
  harness = undefined;
});

/** The UI's workflow list with a visibility query in the URL, as the filter bar writes it. */
function listUrl(query: string): string {
  return `${uiUrl}/namespaces/default/workflows?query=${encodeURIComponent(query)}`;
}

/**
 * Opens the filtered list until a row for `workflowId` shows, reloading meanwhile. The dev
 * server's SQLite visibility is current at once, but visibility is eventually consistent in
 * general (Elasticsearch), so a just-finished run may lag its last upserts.
 */
async function findListedRun(page: Page, query: string, workflowId: string): Promise<string> {
  const deadline = Date.now() + UI_TIMEOUT_MS;
  await gotoWhenServing(page, listUrl(query));
  const row = page.getByRole('row').filter({ hasText: workflowId });
  for (;;) {
    try {
      // The first load of the SPA alone takes about 2 s; give each attempt well over that.
      await row.first().waitFor({ timeout: 5_000 });
      return await row.first().innerText();
    } catch (err) {
      if (Date.now() > deadline) throw err;
      await page.reload();
    }
  }
}

/** Waits for a code block to hold parseable JSON (the editor fills in after the fetch) and parses it. */
async function readJson(block: Locator): Promise<Record<string, unknown>> {
  await block.waitFor({ timeout: UI_TIMEOUT_MS });
  const deadline = Date.now() + UI_TIMEOUT_MS;
  for (;;) {
    const text = await block.innerText();
    try {
      return JSON.parse(text) as Record<string, unknown>;
    } catch (err) {
      if (Date.now() > deadline)
        throw new Error(`no JSON in the block after ${UI_TIMEOUT_MS} ms: ${text}`, { cause: err });
      await new Promise((r) => setTimeout(r, 250));
    }
  }
}

describe('the Temporal Web UI', () => {
  it('lists a finished run by its search attributes and shows its current details and attribute values', async () => {
    harness = await new Harness({ address, simulator: { latencyScale: 0 } }).start();
    const h = harness;
    const feedPath = h.writeFeed({ count: LISTINGS, date: RUN_DATE });
    const workflowId = h.workflowId('web-ui');
    mkdirSync(RESULTS, { recursive: true });
    browser = await launchBrowser();
    const page = await browser.context.newPage();

    // The UI reads current details with a query (__temporal_workflow_metadata), which a worker
    // answers even for a closed run: keep the workers up while the browser looks.
    await h.withWorkers(async () => {
      const summary = await h.client.workflow.execute(dailyScoringRun, {
        taskQueue: h.taskQueue,
        workflowId,
        args: [
          feedRun(feedPath, { runDate: RUN_DATE, route: 'sync', shardSize: 20, maxConcurrentShards: 2 }),
        ],
      });
      expect(summary.scored + summary.deadLettered).toBe(LISTINGS);
      const { runId } = await h.client.workflow.getHandle(workflowId).describe();

      // 1. The list, filtered by our search attributes, finds the run.
      const matching = `RunDate="${RUN_DATE}" AND RunPhase="done" AND ListingsTotal=${LISTINGS} AND WorkflowId="${workflowId}"`;
      const row = await findListedRun(page, matching, workflowId);
      expect(row).toContain('dailyScoringRun');
      expect(row).toMatch(/completed/i);
      await page.screenshot({ path: join(RESULTS, 'web-ui-list.png'), fullPage: true });

      // ...and the filter is really applied: another run date lists nothing.
      await page.goto(listUrl(`RunDate="1999-01-01" AND WorkflowId="${workflowId}"`));
      await page.getByText('No Workflows Found').first().waitFor({ timeout: UI_TIMEOUT_MS });
      expect(await page.getByRole('row').filter({ hasText: workflowId }).count()).toBe(0);

      // 2. The run's User Metadata tab renders the markdown set by setCurrentDetails.
      const runUrl = `${uiUrl}/namespaces/default/workflows/${encodeURIComponent(workflowId)}/${runId}`;
      await page.goto(`${runUrl}/user-metadata`);
      await page.getByRole('heading', { name: 'Current Details' }).waitFor({ timeout: UI_TIMEOUT_MS });
      // The UI renders the markdown in an iframe (served by its /render endpoint).
      const details = page.locator('iframe#user-metadata-current-details').contentFrame();
      await details.getByText(`${LISTINGS} / ${LISTINGS} listings done`).waitFor({ timeout: UI_TIMEOUT_MS });
      await details.getByText('done', { exact: true }).waitFor({ timeout: UI_TIMEOUT_MS });
      await details.getByText(`run date ${RUN_DATE}`).waitFor({ timeout: UI_TIMEOUT_MS });
      await page.screenshot({ path: join(RESULTS, 'web-ui-run.png'), fullPage: true });

      // 3. The Search Attributes tab shows the values the workflow upserted, as a read-only JSON
      // editor labelled "Search Attributes".
      await page.goto(`${runUrl}/search-attributes`);
      const shown = await readJson(page.getByRole('textbox', { name: 'Search Attributes' }));
      expect(shown).toMatchObject({
        RunDate: RUN_DATE,
        RunPhase: 'done',
        ListingsTotal: LISTINGS,
        ListingsDeadLettered: summary.deadLettered,
      });
      expect(Number(shown.ListingsScored) + Number(shown.ListingsDeadLettered)).toBe(LISTINGS);
      expect(shown.CostUsd).toBeCloseTo(summary.costUsd, 9);
      await page.screenshot({ path: join(RESULTS, 'web-ui-run-search-attributes.png'), fullPage: true });
    });
  }, 90_000);
});
