import { Command } from 'commander';
import { loadConfig } from '../config';
import { registerBudgetCommands } from './commands/budget';
import { registerCalibrateCommand } from './commands/calibrate';
import { registerCallCommands } from './commands/calls';
import { registerDeadLetterCommands } from './commands/dead-letters';
import { registerQualityCommands } from './commands/quality';
import { registerReportCommand } from './commands/report';
import { registerRunCommands } from './commands/runs';
import { registerScheduleCommands } from './commands/schedule';

/**
 * The scoreline CLI. Each group of commands lives in commands/*.ts as plain functions (which
 * tests call directly) plus a register function that wires them to commander here. The config
 * is read lazily, so `--help` works even with a broken environment.
 */
export function buildProgram(out: (s: string) => void = (s) => process.stdout.write(`${s}\n`)): Command {
  const program = new Command()
    .name('scoreline')
    .description('Durable, cost-aware LLM scoring of job listings on Temporal')
    .showHelpAfterError();
  const config = () => loadConfig();
  registerRunCommands(program, config, out);
  registerCalibrateCommand(program, config);
  registerCallCommands(program, config, out);
  registerDeadLetterCommands(program, config, out);
  registerBudgetCommands(program, config, out);
  registerReportCommand(program, config, out);
  registerQualityCommands(program, config, out);
  registerScheduleCommands(program, config, out);
  return program;
}
