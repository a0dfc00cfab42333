import { describe, expect, it } from 'vitest';
import { scanServerLog } from '../../../bench/lib/dev-server';
import { cpuModelFrom } from '../../../bench/lib/machine';
import { parseProcStat, parseStatusKb, readCpuMs, readMemKb } from '../../../bench/lib/procfs';

describe('/proc readers', () => {
  it('counts stat fields from the last parenthesis, whatever the command name holds', () => {
    const line =
      '4242 (node (tsx) worker) S 1 4242 4242 0 -1 4194304 100 0 0 0 1234 567 0 0 20 0 11 0 100 1000 200';
    expect(parseProcStat(line)).toEqual({ utimeTicks: 1234, stimeTicks: 567 });
    expect(() => parseProcStat('garbage')).toThrow();
  });

  it('reads kB fields of /proc/<pid>/status', () => {
    const status = 'Name:\tnode\nVmHWM:\t  523000 kB\nVmRSS:\t  401234 kB\n';
    expect(parseStatusKb(status, 'VmRSS')).toBe(401234);
    expect(parseStatusKb(status, 'VmHWM')).toBe(523000);
    expect(parseStatusKb(status, 'VmSwap')).toBeUndefined();
  });

  it('reads this very process, and nothing for a pid that does not exist', () => {
    expect(readCpuMs(process.pid)).toBeGreaterThan(0);
    expect(readMemKb(process.pid)?.rssKb).toBeGreaterThan(0);
    expect(readCpuMs(2 ** 22 + 7)).toBeUndefined();
  });

  it('finds the CPU model in /proc/cpuinfo text', () => {
    expect(cpuModelFrom('processor\t: 0\nmodel name\t: AMD EPYC 7B13\n')).toBe('AMD EPYC 7B13');
    expect(cpuModelFrom('processor: 0\n')).toBeUndefined();
  });
});

describe('dev server log scan', () => {
  it('counts warn and error lines and the history-limit ones, JSON or plain', () => {
    const log = [
      JSON.stringify({ level: 'warn', msg: 'history size exceeds warn limit.', 'wf-id': 'x' }),
      JSON.stringify({ level: 'warn', msg: 'history size exceeds warn limit.', 'wf-id': 'y' }),
      JSON.stringify({ level: 'info', msg: 'started' }),
      JSON.stringify({ level: 'error', msg: 'persistence failed' }),
      'time=1 level=WARN msg="history count exceeds warn limit"',
      '',
    ].join('\n');
    const scan = scanServerLog(log);
    expect(scan).toMatchObject({ warnLines: 3, errorLines: 1, historyLimitLines: 3 });
    expect(scan.sample).toHaveLength(3);
  });
});
