/**
 * A minimal multipart/form-data reader (RFC 7578) for the Files API upload: enough for the
 * bodies that fetch's FormData (what the openai SDK sends) and curl -F produce. Parts are kept
 * as raw bytes, so a JSONL file survives byte for byte.
 */

export interface FormPart {
  name: string;
  filename: string | undefined;
  contentType: string | undefined;
  data: Buffer;
}

export class MultipartError extends Error {}

/** The boundary from a `multipart/form-data; boundary=...` header, unquoted; undefined if absent. */
export function multipartBoundary(contentType: string | undefined): string | undefined {
  if (!contentType || !/^multipart\/form-data\s*(;|$)/i.test(contentType)) return undefined;
  const match = /;\s*boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType);
  return match?.[1] ?? match?.[2];
}

function headerParam(header: string, param: string): string | undefined {
  // Quoted values may hold semicolons (a filename like "a;b.jsonl"); unquoted ones may not.
  const match = new RegExp(`;\\s*${param}="((?:[^"\\\\]|\\\\.)*)"|;\\s*${param}=([^;\\s]+)`, 'i').exec(
    header,
  );
  if (!match) return undefined;
  const raw = match[1] !== undefined ? match[1].replace(/\\(.)/g, '$1') : (match[2] as string);
  // The HTML form-data encoding (what fetch's FormData sends) writes ", CR and LF in names as
  // %22, %0D and %0A; undo exactly those three.
  return raw.replace(/%(22|0D|0A)/gi, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}

function parseHeaders(block: string): Map<string, string> {
  const headers = new Map<string, string>();
  for (const line of block.split('\r\n')) {
    const colon = line.indexOf(':');
    if (colon > 0) headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
  }
  return headers;
}

/** Splits a multipart body into its parts; throws MultipartError when the framing is broken. */
export function parseMultipart(body: Buffer, boundary: string): FormPart[] {
  const delimiter = Buffer.from(`--${boundary}`);
  const parts: FormPart[] = [];
  let start = body.indexOf(delimiter);
  if (start < 0) throw new MultipartError('no multipart boundary found in the body');
  for (;;) {
    let cursor = start + delimiter.length;
    // "--" right after a delimiter closes the body; anything after it is epilogue.
    if (body[cursor] === 0x2d && body[cursor + 1] === 0x2d) return parts;
    if (body[cursor] !== 0x0d || body[cursor + 1] !== 0x0a)
      throw new MultipartError('malformed multipart delimiter line');
    cursor += 2;
    const headerEnd = body.indexOf('\r\n\r\n', cursor);
    if (headerEnd < 0) throw new MultipartError('multipart part without a header block');
    const headers = parseHeaders(body.subarray(cursor, headerEnd).toString('utf8'));
    const next = body.indexOf(Buffer.concat([Buffer.from('\r\n'), delimiter]), headerEnd + 4);
    if (next < 0) throw new MultipartError('multipart body ends without a closing boundary');
    const disposition = headers.get('content-disposition') ?? '';
    const name = headerParam(disposition, 'name');
    if (!/^form-data\b/i.test(disposition) || name === undefined)
      throw new MultipartError('multipart part without a form-data name');
    parts.push({
      name,
      filename: headerParam(disposition, 'filename'),
      contentType: headers.get('content-type'),
      data: body.subarray(headerEnd + 4, next),
    });
    start = next + 2;
  }
}
