import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';

export interface Machine {
  cpuModel: string;
  cores: number;
  ramGb: number;
  node: string;
  platform: string;
  date: string;
  /** 1/5/15-minute load averages when the bench started: other work on a shared box shows here. */
  loadAverage: number[];
  /** The commit measured, with "+dirty" when the working tree had changes. */
  revision: string;
}

function revision(): string {
  try {
    const head = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--untracked-files=no'], {
      encoding: 'utf8',
    }).trim();
    return dirty ? `${head}+dirty` : head;
  } catch {
    return 'unknown';
  }
}

/** The first `model name` in /proc/cpuinfo (os.cpus() may say "unknown" inside some VMs). */
export function cpuModelFrom(cpuinfo: string): string | undefined {
  return /^model name\s*:\s*(.+)$/m.exec(cpuinfo)?.[1]?.trim();
}

export function describeMachine(): Machine {
  let cpuModel: string | undefined;
  try {
    cpuModel = cpuModelFrom(readFileSync('/proc/cpuinfo', 'utf8'));
  } catch {
    // not Linux: fall back to what Node reports
  }
  return {
    cpuModel: cpuModel ?? cpus()[0]?.model ?? 'unknown',
    cores: cpus().length,
    ramGb: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
    date: new Date().toISOString(),
    loadAverage: loadavg().map((l) => Math.round(l * 100) / 100),
    revision: revision(),
  };
}

export function machineLine(m: Machine): string {
  return `${m.cpuModel} · ${m.cores} cores · ${m.ramGb} GB RAM · Node ${m.node} · ${m.platform} · ${m.date} · load avg at start ${m.loadAverage.join(' / ')} · revision ${m.revision}`;
}
