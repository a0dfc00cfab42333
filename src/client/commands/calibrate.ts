import type { Command } from 'commander';
import type { Config } from '../../config';
import { ArgumentError, isoDate, positiveInt } from '../args';
import { calibrate, type CalibrateOptions } from '../calibrate';
import { DEFAULT_THRESHOLDS } from '../report/calibration';
import { addFeedFlags, type FeedFlags } from '../feed-flags';
import { today } from '../run-input';

export function thresholdList(flag: string, v: string): number[] {
  const values = v.split(',').map((x) => x.trim());
  const numbers = values.map(Number);
  if (values.some((x) => x === '') || numbers.some((n) => !(n >= 0 && n <= 1))) {
    throw new ArgumentError(
      `${flag} must be confidences from 0 to 1 separated by commas, like 0,0.6,0.8, got "${v}"`,
    );
  }
  return numbers;
}

export function registerCalibrateCommand(program: Command, config: () => Config): void {
  addFeedFlags(program.command('calibrate'))
    .description(
      "score a sample of your feed with the small and the large model alone, and see what the cascade's escalateBelow would cost and agree at each value",
    )
    .requiredOption('--feed <path>', 'feed of listings: JSON lines or CSV')
    .requiredOption('--sample <n>', 'listings to sample', (v) => positiveInt('--sample', v, 100_000))
    .option('--seed <n>', 'seed of the sample (and of the simulator)', (v) => positiveInt('--seed', v), 1)
    .option('--date <yyyy-mm-dd>', 'run date of the two runs', (v) => isoDate('--date', v), today())
    .option('--criteria-file <path>', 'scoring criteria as text (default: the sample profile)')
    .option(
      '--thresholds <list>',
      `escalateBelow values to compare (default ${DEFAULT_THRESHOLDS.join(',')})`,
      (v) => thresholdList('--thresholds', v),
    )
    .option(
      '--ui-port <port>',
      'Temporal Web UI port (when the dev server is started)',
      (v) => positiveInt('--ui-port', v, 65535),
      8233,
    )
    .action(
      async (
        o: FeedFlags &
          Pick<
            CalibrateOptions,
            'feed' | 'sample' | 'seed' | 'date' | 'criteriaFile' | 'thresholds' | 'uiPort'
          >,
      ) => {
        await calibrate(config(), { ...o, feedFlags: o });
      },
    );
}
