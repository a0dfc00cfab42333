import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import {
  FEED_FORMATS,
  FeedConfigError,
  parseMapSpec,
  validateMapping,
  type FieldMapping,
} from '../feed/mapping';
import type { FeedOptions } from '../shared/messages';
import { ArgumentError, choice, duration } from './args';

/** The feed flags as commander hands them over (every command that reads a feed takes the same). */
export interface FeedFlags {
  format?: string;
  map?: string[];
  mappingFile?: string;
  feedWait?: string;
  maxRejectedShare?: string;
  allowEmpty?: boolean;
}

const collect = (v: string, all: string[] = []) => [...all, v];

/** Adds the feed flags to a command; `feedOptions` turns what they collected into `RunInput.feed`. */
export function addFeedFlags(command: Command): Command {
  return command
    .option('--format <format>', 'feed format: jsonl or csv (default: .csv files are CSV, others JSON lines)')
    .option(
      '--map <field=source,...>',
      'read a field from another key or column, e.g. title=job_title',
      collect,
    )
    .option('--mapping-file <path>', 'JSON object of field → key or column, e.g. {"title": "job_title"}')
    .option(
      '--feed-wait <duration>',
      'how long to wait for a missing feed file, e.g. 5m, 30s or 0 (default 5m)',
    )
    .option(
      '--max-rejected-share <share>',
      'fail the run when more of the lines are rejected, 0–1 (default 0.5)',
    )
    .option('--allow-empty', 'an empty feed finishes as a run of nothing instead of failing');
}

/**
 * The flags as `FeedOptions`, checked before anything starts: a mapping to a field that does
 * not exist, an unreadable mapping file or a share above 1 stop here with the flag's name.
 */
export function feedOptions(o: FeedFlags): FeedOptions | undefined {
  const feed: FeedOptions = {};
  if (o.format !== undefined) feed.format = choice('--format', o.format, FEED_FORMATS);
  const mapping: FieldMapping = {};
  try {
    if (o.mappingFile !== undefined) Object.assign(mapping, readMappingFile(o.mappingFile));
    // --map after the file: a flag on the command line overrides the file for its fields.
    for (const spec of o.map ?? []) Object.assign(mapping, parseMapSpec(spec));
    if (Object.keys(mapping).length > 0) feed.mapping = validateMapping(mapping, '--map and --mapping-file');
  } catch (err) {
    if (err instanceof FeedConfigError) throw new ArgumentError(err.message);
    throw err;
  }
  if (o.feedWait !== undefined) {
    feed.waitMs = /^\s*0+\s*$/.test(o.feedWait) ? 0 : duration('--feed-wait', o.feedWait, 1000, 86_400_000);
  }
  if (o.maxRejectedShare !== undefined) {
    const share = Number(o.maxRejectedShare);
    if (!/^\s*\d*\.?\d+\s*$/.test(o.maxRejectedShare) || !(share >= 0 && share <= 1)) {
      throw new ArgumentError(
        `--max-rejected-share must be a share from 0 to 1 (like 0.2), got "${o.maxRejectedShare}"`,
      );
    }
    feed.maxRejectedShare = share;
  }
  if (o.allowEmpty === true) feed.allowEmpty = true;
  return Object.keys(feed).length > 0 ? feed : undefined;
}

function readMappingFile(path: string): FieldMapping {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new ArgumentError(
      `--mapping-file ${path} cannot be read (${(err as NodeJS.ErrnoException).code ?? String(err)})`,
    );
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new ArgumentError(`--mapping-file ${path} is not valid JSON (${(err as Error).message})`);
  }
  return validateMapping(value, `--mapping-file ${path}`);
}
