import type { CostResult, CostRoute } from '../phases/cost';
import type { OverheadResult } from '../phases/overhead';
import type { ActionsSection, RouteActions } from './actions';
import type { ScaleResult } from '../phases/scale';
import type { PipelineThroughput, ThroughputResult } from '../phases/throughput';
import { fixed, int, largestGap, pct, type BenchResults } from './goals';
import { machineLine } from './machine';
import type { ActivityTime, QueueWait } from './worker-process';

/** Renders the results as markdown: ratios first, absolute times only under the machine's name. */

export function table(headers: readonly string[], rows: ReadonlyArray<readonly string[]>): string {
  const esc = (c: string) => c.replace(/\|/g, '\\|');
  return [
    `| ${headers.map(esc).join(' | ')} |`,
    `| ${headers.map(() => '---').join(' | ')} |`,
    ...rows.map((r) => `| ${r.map(esc).join(' | ')} |`),
  ].join('\n');
}

const dash = '—';
const opt = <T>(v: T | undefined, f: (v: T) => string) => (v === undefined ? dash : f(v));

export function renderReport(r: BenchResults): string {
  const out: string[] = [];
  out.push('# Scoreline benchmark', '');
  out.push(`Machine: ${machineLine(r.machine)}`, '');
  out.push(`Options: \`${JSON.stringify(r.options)}\``, '');
  if (r.load) {
    const loads = Object.entries(r.load).map(([p, l]) => `${p} ${l.start.toFixed(1)} → ${l.end.toFixed(1)}`);
    out.push(
      `1-minute load average per phase (start → end; ${r.machine.cores} cores, shared): ${loads.join(' · ')}`,
      '',
    );
  }
  out.push('## Goals (Scoreline)', '');
  out.push(
    table(
      ['goal', 'target', 'measured', 'gap', 'met'],
      r.goals.map((g) => [
        g.goal,
        g.target,
        g.measured,
        g.gap,
        g.met === null ? 'n/a' : g.met ? 'yes' : 'NO',
      ]),
    ),
  );
  const worst = largestGap(r.goals);
  out.push(
    '',
    worst
      ? `Largest gap: **${worst.goal}** — ${worst.measured}, ${worst.gap}.`
      : 'Every measured goal is met.',
  );
  if (r.throughput) out.push('', ...throughputSection(r.throughput));
  if (r.overhead) out.push('', ...overheadSection(r.overhead));
  if (r.actions) out.push('', ...actionsTable(r.actions));
  if (r.scale) out.push('', ...scaleSection(r.scale));
  if (r.cost) out.push('', ...costSection(r.cost));
  out.push('');
  return out.join('\n');
}

function modelCells(p: PipelineThroughput | undefined, model: string): string {
  const m = p?.models[model];
  if (!m) return dash;
  return `${fixed(m.sustainedOverRpm, 3)} sustained · ${fixed(m.spanOverRpm, 3)} span · ${fixed(m.peakOverRpm, 2)} peak 60 s (${int(m.admitted)} calls)`;
}

function throughputSection(t: ThroughputResult): string[] {
  const s = t.scoreline;
  const n = t.naive;
  const models = [...new Set([...Object.keys(s?.models ?? {}), ...Object.keys(n?.models ?? {})])].sort();
  const both = (f: (p: PipelineThroughput) => string) => [opt(s, f), opt(n, f)];
  const rows: string[][] = [
    ['listings scored / failed', ...both((p) => `${int(p.scored)} / ${int(p.failed)} of ${int(p.listings)}`)],
    ['scored listings per minute ÷ RPM', ...both((p) => fixed(p.listingsOverRpm, 3))],
    ['busiest model', ...both((p) => p.busiest)],
    ['busiest model, sustained admitted/min ÷ RPM', ...both((p) => fixed(p.busiestSustainedOverRpm, 3))],
    ...models.map((m) => [`${m}: admitted/min ÷ RPM`, modelCells(s, m), modelCells(n, m)]),
    [
      'simulator 429s / all requests',
      ...both((p) => `${int(p.rateLimited)} / ${int(p.requests)} (${pct(p.rateLimitedShare, 2)})`),
    ],
    ['wall time, s (this machine)', ...both((p) => fixed(p.wallMs / 1000, 1))],
  ];
  const lines = [
    `## 1. Throughput against the limit (${int(t.rpm)} RPM per model, ${int(t.listings)} feed lines)`,
    '',
    `Latency: ${t.latency}. Scoreline: sync path, \`useCache: false\`, default escalation, worker queue limit = ${int(t.rpm)} RPM. Naive: Scoreline's routing rule, no cascade, same concurrency as Scoreline's window. "Sustained" is the median 10 s window of billed calls; "span" runs from the first to the last call (a full token bucket allows an opening burst of one minute's quota, so span and peak can exceed 1).`,
    '',
    table(['metric', 'Scoreline', 'naive'], rows),
  ];
  if (s?.activities?.length)
    lines.push('', 'Scoreline worker, per activity:', '', activityTable(s.activities, s.queueWaits));
  return [...lines, ...errors(t.errors)];
}

function activityTable(rows: readonly ActivityTime[], waits: readonly QueueWait[] = []): string {
  const t = table(
    ['activity', 'count', 'mean execution, ms'],
    rows.map((a) => [a.activity, int(a.count), fixed(a.meanMs, 1)]),
  );
  if (waits.length === 0) return t;
  const w = table(
    ['queue', 'tasks', 'mean schedule-to-start, ms'],
    waits.map((q) => [q.queue, int(q.count), fixed(q.meanMs, 1)]),
  );
  return `${t}\n\n${w}`;
}

function overheadSection(o: OverheadResult): string[] {
  const s = o.scoreline;
  const n = o.naive;
  const rows: string[][] = [
    [
      'worker CPU per listing, ms',
      opt(s, (x) => fixed(x.cpuMsPerListing, 2)),
      opt(n, (x) => fixed(x.cpuMsPerListing, 2)),
    ],
    ['dev server CPU per listing, ms', opt(s, (x) => fixed(x.devServerCpuMsPerListing, 2)), dash],
    ['history events per listing (parent + shards)', opt(s, (x) => fixed(x.eventsPerListing, 2)), dash],
    ['largest history, events', opt(s, (x) => int(x.maxEvents)), dash],
    [
      'workflow tasks (mean execution, ms)',
      opt(s, (x) => `${int(x.workflowTasks.count)} (${fixed(x.workflowTasks.meanMs, 2)})`),
      dash,
    ],
    [
      'listings per second, end to end (this machine)',
      opt(s, (x) => fixed(x.listingsPerSecond, 1)),
      opt(n, (x) => fixed(x.listingsPerSecond, 1)),
    ],
    ['peak RSS, MB', opt(s, (x) => int(x.peakRssMb)), opt(n, (x) => int(x.peakRssMb))],
  ];
  const lines = [
    `## 2. Orchestration overhead (zero latency, no limits, ${int(o.listings)} feed lines)`,
    '',
    'CPU is user + system time of the worker process alone (/proc/<pid>/stat, all threads, from workflow start to result), the dev server measured the same way; the baseline reports its own process.cpuUsage().',
    '',
    table(['metric', 'Scoreline', 'naive'], rows),
  ];
  if (s?.activities.length) {
    lines.push('', 'Scoreline worker, per activity:', '', activityTable(s.activities, s.queueWaits));
  }
  if (s?.profile?.length) {
    lines.push(
      '',
      'Scoreline worker CPU by package or project folder (V8 profiles of every thread, self time, during the run):',
      '',
      table(
        ['where', 'self CPU, ms', 'share'],
        s.profile.map((p) => [p.where, int(p.selfMs), pct(p.share, 1)]),
      ),
    );
  }
  return [...lines, ...errors(o.errors)];
}

/** Actions, history and CPU per listing for both routes, side by side with the previous figures. */
function actionsTable(a: ActionsSection): string[] {
  const p = a.previous;
  const perL = (r: RouteActions | undefined, f: (r: RouteActions) => number, d: number) =>
    opt(r, (x) => fixed(f(x), d));
  const rows: string[][] = [
    [
      'billable actions per listing (from history)',
      `${fixed(p.sync.actionsPerListing, 1)} (211-listing run)`,
      perL(a.sync, (x) => x.perListing, 3),
      perL(a.batch, (x) => x.perListing, 4),
    ],
    [
      'dev server `action` counter per listing',
      dash,
      opt(a.sync?.serverMetric ?? undefined, (m) => fixed(m.perListing, 3)),
      opt(a.batch?.serverMetric ?? undefined, (m) => fixed(m.perListing, 4)),
    ],
    [
      'history events per listing',
      fixed(p.sync.eventsPerListing, 2),
      perL(a.sync, (x) => x.eventsPerListing, 2),
      perL(a.batch, (x) => x.eventsPerListing, 3),
    ],
    [
      'worker CPU per listing, ms',
      fixed(p.sync.workerCpuMsPerListing, 2),
      perL(a.sync, (x) => x.workerCpuMsPerListing, 2),
      perL(a.batch, (x) => x.workerCpuMsPerListing, 2),
    ],
    [
      'dev server CPU per listing, ms',
      fixed(p.sync.devServerCpuMsPerListing, 2),
      perL(a.sync, (x) => x.devServerCpuMsPerListing, 2),
      perL(a.batch, (x) => x.devServerCpuMsPerListing, 2),
    ],
  ];
  const kinds = (r: RouteActions | undefined) =>
    r
      ? Object.entries(r.byKind)
          .filter(([, n]) => n > 0)
          .map(([k, n]) => `${k} ${int(n)}`)
          .join(' · ')
      : dash;
  const metric = (r: RouteActions | undefined) =>
    r?.serverMetric
      ? Object.entries(r.serverMetric.byType)
          .sort((x, y) => y[1] - x[1])
          .map(([k, n]) => `${k} ${int(n)}`)
          .join(' · ')
      : dash;
  return [
    '## Orchestration: Temporal actions per listing (overhead phase, zero latency)',
    '',
    'Actions are counted from the histories of every execution of the run (parent, continue-as-new, shards, batch child) ' +
      "following Temporal Cloud's Actions page (src/observability/billable-actions.ts); queries and heartbeats are not in history. " +
      `The dev server's own \`action\` counter over the same run is the cross-check. Previous: ${p.revision}.`,
    '',
    table(['metric', `sync, ${p.revision}`, 'sync, now', 'batch, now'], rows),
    '',
    `By kind, sync: ${kinds(a.sync)}`,
    '',
    `By kind, batch: ${kinds(a.batch)}`,
    '',
    `Server counter by type, sync: ${metric(a.sync)}`,
    '',
    `Server counter by type, batch: ${metric(a.batch)}`,
  ];
}

function scaleSection(s: ScaleResult): string[] {
  const rows: string[][] = [
    ['listings', int(s.listings)],
    ['completed', s.completed ? `yes (${int(s.scored)} scored, ${int(s.deadLettered)} dead-lettered)` : 'NO'],
    [
      'largest history of any execution',
      `${int(s.maxEvents)} events (${s.maxWhere}), ${int(s.maxHistoryBytes / 1024)} KiB`,
    ],
    ['parent executions (events each)', `${s.parentEvents.length} (${s.parentEvents.map(int).join(', ')})`],
    ['shards (largest, events)', `${int(s.shards)} (${int(s.maxShardEvents)})`],
    [
      'worker peak RSS (sampled each second) / lifetime peak incl. start-up, MB',
      `${int(s.peakRssMb)} / ${int(s.hwmRssMb)}`,
    ],
    [
      'worker / dev server CPU per listing, ms',
      `${fixed(s.cpuMsPerListing, 2)} / ${fixed(s.devServerCpuMsPerListing, 2)}`,
    ],
    [
      'dev server log: warn / error / history-limit lines',
      `${s.serverLog.warnLines} / ${s.serverLog.errorLines} / ${s.serverLog.historyLimitLines}`,
    ],
    [
      'wall time, s (this machine) · listings/s',
      `${fixed(s.wallMs / 1000, 0)} · ${fixed(s.listingsPerSecond, 1)}`,
    ],
  ];
  const lines = ['## 3. Scale (zero latency)', '', table(['metric', 'Scoreline'], rows)];
  if (s.serverLog.sample.length)
    lines.push(
      '',
      'Dev server warnings (distinct, first five):',
      '',
      ...s.serverLog.sample.map((l) => `- ${l}`),
    );
  return [...lines, ...errors(s.error ? [s.error] : [])];
}

function costSection(c: CostResult): string[] {
  return [
    `## 4. Cost and quality (${int(c.listings)} feed lines a day, day two 80% unchanged)`,
    '',
    `Method: ${c.method}. Scoreline: routing + confidence cascade + cache, billed by the simulator's ledger.`,
    ...c.routes.flatMap((r) => ['', `Scoreline route: **${r.route}**`, '', costTable(r)]),
    ...errors(c.errors),
  ];
}

function costTable(c: CostRoute): string {
  const d = c.days;
  const row = (label: string, f: (x: (typeof d)[number]) => string) => [label, ...d.map(f)];
  const usd = (x: number) => `$${x.toFixed(4)}`;
  const rows: string[][] = [
    row('listings (valid)', (x) => int(x.listings)),
    row(
      'Scoreline, provider bill (its own accounting)',
      (x) => `${usd(x.scorelineUsd)} (${usd(x.pipelineUsd)})`,
    ),
    row('all-small sync', (x) => usd(x.allSmallUsd)),
    row('all-large sync', (x) => usd(x.allLargeUsd)),
    row('Scoreline ÷ all-large', (x) => pct(x.scorelineOverLarge, 2)),
    row('all-small ÷ all-large', (x) => pct(x.allSmallOverLarge, 2)),
    row('Scoreline calls by model', (x) =>
      Object.entries(x.scorelineCalls)
        .map(([m, k]) => `${m} ${int(k)}`)
        .join(', '),
    ),
    row(
      'cache hits · escalations · dead-lettered',
      (x) => `${int(x.cacheHits)} · ${int(x.escalations)} · ${int(x.deadLettered)}`,
    ),
    row('cache hits with another score than yesterday kept', (x) => int(x.cacheHitsChangedScore)),
    row('calls through the Batch API', (x) => int(x.batchCalls)),
    row(
      'agreement ±1 with all-large: Scoreline · all-small',
      (x) => `${pct(x.agreementWithLarge.within1, 2)} · ${pct(x.allSmallAgreementWithLarge.within1, 2)}`,
    ),
    row(
      'exact match with all-large: Scoreline · all-small',
      (x) => `${pct(x.agreementWithLarge.exact, 1)} · ${pct(x.allSmallAgreementWithLarge.exact, 1)}`,
    ),
    row(
      'MAE vs truth: Scoreline · all-small · all-large',
      (x) =>
        `${fixed(x.truth.scoreline.mae, 3)} · ${fixed(x.truth.allSmall.mae, 3)} · ${fixed(x.truth.allLarge.mae, 3)}`,
    ),
    row(
      'exact vs truth: Scoreline · all-small · all-large',
      (x) =>
        `${pct(x.truth.scoreline.exact, 1)} · ${pct(x.truth.allSmall.exact, 1)} · ${pct(x.truth.allLarge.exact, 1)}`,
    ),
  ];
  return table(['metric', ...d.map((x, i) => `day ${i + 1} (${x.date})`)], rows);
}

function errors(list: readonly string[]): string[] {
  return list.length ? ['', '**Errors:**', '', ...list.map((e) => `- ${e.slice(0, 400)}`)] : [];
}
