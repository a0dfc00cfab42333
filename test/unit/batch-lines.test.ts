import { describe, expect, it } from 'vitest';
import {
  batchLine,
  CorruptBatchFile,
  customId,
  parseCustomId,
  parseOutputFile,
  parseOutputLine,
  splitIntoFiles,
} from '../../src/batch/lines';

describe('batch lines', () => {
  it('round-trips a custom_id made of a listing id and a round', () => {
    expect(parseCustomId(customId('job-12:a.b', 3))).toEqual({ listingId: 'job-12:a.b', round: 3 });
    expect(parseCustomId('no-round')).toBeUndefined();
    expect(parseCustomId('~1')).toBeUndefined();
  });

  it('splits at the line cap and at the byte cap, keeping order', () => {
    const lines = Array.from({ length: 10 }, (_, i) => `line-${i}`);
    expect(splitIntoFiles(lines, 4, 1e9).map((f) => f.length)).toEqual([4, 4, 2]);
    expect(splitIntoFiles(lines, 100, 14).flat()).toEqual(lines);
    expect(splitIntoFiles(lines, 100, 14).every((f) => f.length === 2)).toBe(true);
  });

  it('builds a request line for the chat completions endpoint', () => {
    const parsed = JSON.parse(batchLine('job-1', 0, { model: 'gpt-4o-mini' } as never)) as Record<
      string,
      unknown
    >;
    expect(parsed).toMatchObject({ custom_id: 'job-1~0', method: 'POST', url: '/v1/chat/completions' });
  });

  it('reads a successful output line, a failed response and an expired line', () => {
    const ok = parseOutputLine(
      JSON.stringify({
        custom_id: 'job-1~0',
        response: {
          status_code: 200,
          body: { model: 'gpt-4o-mini', choices: [{ finish_reason: 'stop', message: {} }] },
        },
        error: null,
      }),
    );
    expect(ok).toMatchObject({ listingId: 'job-1', statusCode: 200, errorCode: null });
    const failed = parseOutputLine(
      JSON.stringify({
        custom_id: 'job-2~0',
        response: { status_code: 500, body: { error: { message: 'boom', code: null } } },
        error: null,
      }),
    );
    expect(failed).toMatchObject({
      listingId: 'job-2',
      statusCode: 500,
      completion: null,
      errorCode: 'http_500',
      errorMessage: 'boom',
    });
    const expired = parseOutputLine(
      JSON.stringify({
        custom_id: 'job-3~1',
        response: null,
        error: { code: 'batch_expired', message: 'expired' },
      }),
    );
    expect(expired).toMatchObject({
      listingId: 'job-3',
      round: 1,
      statusCode: null,
      errorCode: 'batch_expired',
    });
    expect(parseOutputLine('not json')).toBeUndefined();
  });

  it('reads every line of a downloaded file and refuses one damaged on the way, naming the file and line', () => {
    const good = (id: string) =>
      JSON.stringify({
        custom_id: `${id}~0`,
        response: null,
        error: { code: 'batch_expired', message: 'x' },
      });
    expect(
      parseOutputFile('file-1', `${good('job-1')}\n\n${good('job-2')}\n`).map((l) => l.listingId),
    ).toEqual(['job-1', 'job-2']);
    expect(parseOutputFile('file-1', '')).toEqual([]);
    const damaged = () => parseOutputFile('file-7', `${good('job-1')}\n{malformed json: <<<chaos>>>`);
    expect(damaged).toThrow(CorruptBatchFile);
    expect(damaged).toThrow(/file-7 line 2 .*malformed json/);
    // Well-formed JSON that is not an output line (no custom_id) is damage too.
    expect(() => parseOutputFile('file-8', '{"error":{"message":"upstream timeout"}}')).toThrow(
      /file-8 line 1/,
    );
  });
});
