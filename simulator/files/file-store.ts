import { randomBytes } from 'node:crypto';
import { sha256Hex } from '../shared/prng';

/** Unique per process, as OpenAI's file ids are unique across time (see batch-store). */
const INSTANCE = randomBytes(8).toString('hex');

/** The purposes a client may upload with; `batch_output` is only ever written by the batch runner. */
export const UPLOAD_PURPOSES = ['assistants', 'batch', 'fine-tune', 'vision', 'user_data', 'evals'] as const;
export type FilePurpose = (typeof UPLOAD_PURPOSES)[number] | 'batch_output';

/** OpenAI keeps batch-purpose files for 30 days unless told otherwise; others until deleted. */
const BATCH_FILE_TTL_S = 30 * 24 * 3600;

/** The Files API's file object; timestamps are Unix seconds. */
export interface FileObject {
  id: string;
  object: 'file';
  bytes: number;
  created_at: number;
  filename: string;
  purpose: FilePurpose;
  /** Uploads are usable at once here, so every file reports `processed`. */
  status: 'processed';
  expires_at: number | null;
  status_details: null;
}

interface StoredFile {
  meta: FileObject;
  content: Buffer;
}

/**
 * Files held in memory under one byte budget shared by uploads and batch results. Ids come
 * from a counter hashed with the seed, so a replayed run names its files the same way.
 */
export class FileStore {
  private readonly files = new Map<string, StoredFile>();
  private used = 0;
  private created = 0;

  constructor(private readonly seed: number) {}

  get usedBytes(): number {
    return this.used;
  }

  /**
   * Stores a file and returns its object, or undefined when it would overflow `maxTotalBytes`.
   * Batch results pass `force`: a finished batch must always be able to deliver its output.
   */
  add(
    content: Buffer,
    filename: string,
    purpose: FilePurpose,
    nowMs: number,
    budget: { maxTotalBytes: number; force?: boolean },
  ): FileObject | undefined {
    if (!budget.force && this.used + content.length > budget.maxTotalBytes) return undefined;
    this.created += 1;
    const id = `file-${sha256Hex(`${INSTANCE}\u0000${this.seed}\u0000file\u0000${this.created}`).slice(0, 24)}`;
    const createdAt = Math.floor(nowMs / 1000);
    const meta: FileObject = {
      id,
      object: 'file',
      bytes: content.length,
      created_at: createdAt,
      filename,
      purpose,
      status: 'processed',
      expires_at: purpose === 'batch' || purpose === 'batch_output' ? createdAt + BATCH_FILE_TTL_S : null,
      status_details: null,
    };
    this.files.set(id, { meta, content });
    this.used += content.length;
    return meta;
  }

  get(id: string): FileObject | undefined {
    return this.files.get(id)?.meta;
  }

  content(id: string): Buffer | undefined {
    return this.files.get(id)?.content;
  }

  delete(id: string): boolean {
    const file = this.files.get(id);
    if (!file) return false;
    this.files.delete(id);
    this.used -= file.content.length;
    return true;
  }

  /** Newest first by default, as OpenAI lists them; optionally one purpose only. */
  list(purpose: string | null, order: 'asc' | 'desc'): FileObject[] {
    const all = [...this.files.values()].map((f) => f.meta).filter((f) => !purpose || f.purpose === purpose);
    return order === 'desc' ? all.reverse() : all;
  }
}
