import { open, stat, type FileHandle } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { CsvFeedReader, readCsv, sniffDelimiter } from './csv';
import type { Listing } from './listing';
import { FeedLineParser } from './jsonl';
import { feedFormatFor } from './mapping';
import { DEFAULT_MAX_LINE_BYTES, type ParsedFeed, type ParseFeedOptions } from './records';

// The feed readers' public surface: whole-file and streaming reads of JSONL and CSV feeds.
export { parseFeed, FeedLineParser } from './jsonl';
export {
  DEFAULT_MAX_LINE_BYTES,
  formatIssues,
  type ParsedFeed,
  type ParseFeedOptions,
  type RejectedLine,
  type UnknownKey,
} from './records';

/** Why a feed file could not be read at all (as opposed to lines in it being rejected). */
export class FeedFileError extends Error {
  override name = 'FeedFileError';
  constructor(
    readonly kind: 'not_found' | 'unreadable',
    readonly path: string,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Whether the feed file is there yet. A directory or a file we may not read is not "missing":
 * waiting would not help, so those throw.
 */
export async function feedFileExists(path: string): Promise<boolean> {
  try {
    const st = await stat(path);
    if (!st.isFile()) throw new FeedFileError('unreadable', path, `feed path ${path} is not a file`);
    return true;
  } catch (err) {
    if (err instanceof FeedFileError) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return false;
    throw new FeedFileError('unreadable', path, `feed file ${path} cannot be read (${code ?? String(err)})`);
  }
}

async function openFeed(path: string): Promise<FileHandle> {
  let handle: FileHandle;
  try {
    handle = await open(path, 'r');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') {
      throw new FeedFileError('not_found', path, `feed file ${path} not found`);
    }
    throw new FeedFileError('unreadable', path, `feed file ${path} cannot be read (${code ?? String(err)})`);
  }
  if (!(await handle.stat()).isFile()) {
    await handle.close();
    throw new FeedFileError('unreadable', path, `feed path ${path} is not a file`);
  }
  return handle;
}

export interface StreamedFeed extends Omit<ParsedFeed, 'listings'> {
  accepted: number;
}

/**
 * Streams a feed (JSONL or CSV) in chunks of accepted listings, so planning a million-line
 * feed holds one chunk of listings in memory rather than all of them. Returns every
 * rejection, the keys set aside and the number of accepted listings. Throws FeedFileError when
 * the file is missing or unreadable, FeedConfigError when its header or the mapping is unusable.
 */
export async function streamFeedFile(
  path: string,
  chunkSize: number,
  onChunk: (listings: Listing[], firstSeq: number) => Promise<void>,
  opts: ParseFeedOptions = {},
): Promise<StreamedFeed> {
  const format = feedFormatFor(path, opts.format);
  const handle = await openFeed(path);
  try {
    let accepted = 0;
    let reader: { pending: number; drain(): Listing[]; result(): ParsedFeed };
    const flush = async (force: boolean) => {
      if (reader.pending === 0 || (!force && reader.pending < chunkSize)) return;
      const chunk = reader.drain();
      await onChunk(chunk, accepted);
      accepted += chunk.length;
    };
    if (format === 'csv') {
      const head = Buffer.alloc(64 * 1024);
      const { bytesRead } = await handle.read(head, 0, head.length, 0);
      const csv = new CsvFeedReader(opts.mapping, opts.reservedIdPrefix);
      reader = csv;
      const input = handle.createReadStream({ encoding: 'utf8', start: 0, autoClose: false });
      await readCsv(
        input,
        csv,
        {
          delimiter: sniffDelimiter(head.subarray(0, bytesRead).toString('utf8')),
          maxRecordChars: opts.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES,
        },
        () => flush(false),
      );
    } else {
      const lines = new FeedLineParser(opts);
      reader = lines;
      const input = handle.createReadStream({ encoding: 'utf8', autoClose: false });
      let lineNo = 0;
      for await (const line of createInterface({ input, crlfDelay: Infinity })) {
        lines.push(line, ++lineNo);
        await flush(false);
      }
    }
    await flush(true);
    const { listings: _, ...rest } = reader.result();
    return { accepted, ...rest };
  } finally {
    await handle.close();
  }
}

/** The whole feed file in memory: for tools and tests, never the planning path. */
export async function parseFeedFile(path: string, opts: ParseFeedOptions = {}): Promise<ParsedFeed> {
  const listings: Listing[] = [];
  const { accepted: _, ...rest } = await streamFeedFile(
    path,
    10_000,
    (chunk) => {
      listings.push(...chunk);
      return Promise.resolve();
    },
    opts,
  );
  return { listings, ...rest };
}
