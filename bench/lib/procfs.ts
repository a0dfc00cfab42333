import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

/**
 * CPU time and memory of another process, from Linux's /proc. The parsers are pure (the
 * tests feed them text); the readers return undefined once the process is gone.
 */

export interface ProcCpu {
  utimeTicks: number;
  stimeTicks: number;
}

/**
 * Fields of /proc/<pid>/stat. The second field (comm) is in parentheses and may itself hold
 * spaces or parentheses, so the fields are counted from the last ')'.
 */
export function parseProcStat(text: string): ProcCpu {
  const close = text.lastIndexOf(')');
  if (close < 0) throw new Error('not a /proc/<pid>/stat line');
  // After ')': state is field 3, so field k is at index k - 3.
  const rest = text
    .slice(close + 2)
    .trim()
    .split(/\s+/);
  const utime = Number(rest[14 - 3]);
  const stime = Number(rest[15 - 3]);
  if (!Number.isFinite(utime) || !Number.isFinite(stime)) throw new Error('no utime/stime in /proc stat');
  return { utimeTicks: utime, stimeTicks: stime };
}

/** A `Key:   123 kB` line of /proc/<pid>/status, in kB. */
export function parseStatusKb(text: string, key: string): number | undefined {
  const m = new RegExp(`^${key}:\\s+(\\d+)\\s+kB`, 'm').exec(text);
  return m ? Number(m[1]) : undefined;
}

let ticksPerSecond: number | undefined;

/** USER_HZ: almost always 100 on Linux, but asked rather than assumed. */
export function clockTicks(): number {
  if (ticksPerSecond === undefined) {
    try {
      ticksPerSecond = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
    } catch {
      ticksPerSecond = 100;
    }
  }
  return ticksPerSecond;
}

/** User + system CPU of the process (all its threads), in ms; undefined when it is gone. */
export function readCpuMs(pid: number): number | undefined {
  try {
    const cpu = parseProcStat(readFileSync(`/proc/${pid}/stat`, 'utf8'));
    return ((cpu.utimeTicks + cpu.stimeTicks) * 1000) / clockTicks();
  } catch {
    return undefined;
  }
}

export function readMemKb(pid: number): { rssKb: number; hwmKb: number } | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    return { rssKb: parseStatusKb(status, 'VmRSS') ?? 0, hwmKb: parseStatusKb(status, 'VmHWM') ?? 0 };
  } catch {
    return undefined;
  }
}

/** Samples a process's resident set every `intervalMs`; the peak is what the goal is about. */
export class RssSampler {
  private timer: NodeJS.Timeout | undefined;
  peakKb = 0;
  samples = 0;

  constructor(
    private readonly pid: number,
    private readonly intervalMs = 1000,
  ) {}

  start(): this {
    const sample = () => {
      const mem = readMemKb(this.pid);
      if (!mem) return;
      this.samples++;
      this.peakKb = Math.max(this.peakKb, mem.rssKb);
    };
    sample();
    this.timer = setInterval(sample, this.intervalMs);
    this.timer.unref();
    return this;
  }

  stop(): { peakKb: number; samples: number } {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    const mem = readMemKb(this.pid);
    if (mem) this.peakKb = Math.max(this.peakKb, mem.rssKb);
    return { peakKb: this.peakKb, samples: this.samples };
  }
}
