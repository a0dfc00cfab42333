import OpenAI, { toFile } from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningSimulator } from '../../../simulator';
import { uploadBatchFile } from './batch-helpers';
import { startTestSimulator } from './helpers';

let sim: RunningSimulator;
let client: OpenAI;
beforeAll(async () => {
  ({ sim, client } = await startTestSimulator({ config: { files: { maxTotalBytes: 4096 } } }));
});
afterAll(() => sim.close());

describe('files API', () => {
  it('stores an SDK multipart upload byte for byte and serves it back', async () => {
    const content = '{"custom_id":"é-1","x":"a;b\\"c"}\r\n{"custom_id":"2"}\n--not-a-boundary\n';
    const file = await uploadBatchFile(client, content, 'input "one".jsonl');
    expect(file).toMatchObject({
      object: 'file',
      purpose: 'batch',
      status: 'processed',
      filename: 'input "one".jsonl',
      bytes: Buffer.byteLength(content),
    });
    expect(file.id).toMatch(/^file-/);
    expect(await client.files.retrieve(file.id)).toEqual(file);
    expect(await (await client.files.content(file.id)).text()).toBe(content);

    const other = await client.files.create({
      file: await toFile(Buffer.from('{}'), 'a.json'),
      purpose: 'user_data',
    });
    const batchFiles = await client.files.list({ purpose: 'batch' });
    expect(batchFiles.data.map((f) => f.id)).toEqual([file.id]);
    const all = await client.files.list();
    expect(all.data.map((f) => f.id)).toEqual([other.id, file.id]);

    expect(await client.files.delete(file.id)).toEqual({ id: file.id, object: 'file', deleted: true });
    await expect(client.files.retrieve(file.id)).rejects.toBeInstanceOf(OpenAI.NotFoundError);
    await expect(client.files.content(file.id)).rejects.toMatchObject({ status: 404 });
    await client.files.delete(other.id);
  });

  it('rejects an unknown purpose, a missing file part and a non-multipart body with 400', async () => {
    await expect(
      client.files.create({ file: await toFile(Buffer.from('x'), 'x.txt'), purpose: 'nonsense' as 'batch' }),
    ).rejects.toMatchObject({ status: 400, param: 'purpose' });
    const form = new FormData();
    form.append('purpose', 'batch');
    const url = `${sim.baseURL}/files`;
    const missing = await fetch(url, { method: 'POST', body: form, headers: { authorization: 'Bearer t' } });
    expect(missing.status).toBe(400);
    const json = await fetch(url, { method: 'POST', body: '{}', headers: { authorization: 'Bearer t' } });
    expect(json.status).toBe(400);
  });

  it('answers 400 past the storage budget and 413 to a body that can never fit', async () => {
    const first = await uploadBatchFile(client, 'x'.repeat(3000));
    await expect(uploadBatchFile(client, 'y'.repeat(2000))).rejects.toMatchObject({ status: 400 });
    await client.files.delete(first.id);
    await uploadBatchFile(client, 'y'.repeat(2000)).then((f) => client.files.delete(f.id));
    await expect(uploadBatchFile(client, 'z'.repeat(100_000))).rejects.toMatchObject({ status: 413 });
  });
});

describe('multipart parser', () => {
  it('reads a curl-style body with a quoted boundary, a preamble and an unquoted name', async () => {
    const { multipartBoundary, parseMultipart } = await import('../../../simulator/http/multipart');
    const boundary = multipartBoundary('multipart/form-data; boundary="----x y"');
    expect(boundary).toBe('----x y');
    const body = Buffer.from(
      'preamble\r\n------x y\r\nContent-Disposition: form-data; name=purpose\r\n\r\nbatch\r\n' +
        '------x y\r\nContent-Disposition: form-data; name="file"; filename="a.jsonl"\r\n' +
        'Content-Type: application/jsonl\r\n\r\nline1\r\nline2\r\n------x y--\r\n',
    );
    const parts = parseMultipart(body, boundary!);
    expect(parts.map((p) => [p.name, p.filename, p.data.toString()])).toEqual([
      ['purpose', undefined, 'batch'],
      ['file', 'a.jsonl', 'line1\r\nline2'],
    ]);
    expect(() => parseMultipart(Buffer.from('------x y\r\nno end'), boundary!)).toThrow();
  });
});
