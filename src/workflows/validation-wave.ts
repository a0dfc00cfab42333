import { condition } from '@temporalio/workflow';
import type { GateItem, GateResult } from '../shared/messages';

interface Waiting {
  item: GateItem;
  resolve: (result: GateResult) => void;
  reject: (err: unknown) => void;
}

/**
 * Gathers a shard's recorded answers into waves for the validation gate: one activity judges
 * and persists a whole wave, instead of two activities per answer. A wave goes when it is
 * full, or as soon as no LLM call is in flight (nothing more is about to arrive), so no
 * answer waits on a timer, and there is no timer to pay for. One wave is in flight at a time;
 * answers arriving meanwhile make the next one bigger.
 */
export class ValidationWave {
  private readonly queue: Waiting[] = [];
  private draining = false;
  /** Waves sent, for the shard's totals. */
  waves = 0;

  constructor(
    private readonly send: (items: GateItem[]) => Promise<GateResult[]>,
    private readonly size: number,
    private readonly quiet: () => boolean,
  ) {}

  submit(item: GateItem): Promise<GateResult> {
    return new Promise<GateResult>((resolve, reject) => this.enqueue(item, resolve, reject));
  }

  /**
   * `submit` without a promise of its own (the flat pipeline's way: each promise costs a stack
   * trace). `resolve` and `reject` are called from the wave's loop, so they must not throw.
   */
  enqueue(item: GateItem, resolve: (result: GateResult) => void, reject: (err: unknown) => void): void {
    this.queue.push({ item, resolve, reject });
    if (!this.draining) {
      this.draining = true;
      void this.drain();
    }
  }

  /** Never rejects: a failed wave fails each of its answers' awaiting pipelines instead. */
  private async drain(): Promise<void> {
    try {
      while (this.queue.length > 0) {
        await condition(() => this.queue.length >= this.size || this.quiet());
        const wave = this.queue.splice(0, this.queue.length);
        this.waves++;
        try {
          const results = await this.send(wave.map((w) => w.item));
          wave.forEach((w, i) => {
            const r = results[i];
            if (r) w.resolve(r);
            else w.reject(new Error(`validation gate returned no result for call ${w.item.callId}`));
          });
        } catch (err) {
          for (const w of wave) w.reject(err);
        }
      }
    } catch (err) {
      // The wait itself failed (the shard is being cancelled): nobody in the queue gets an answer.
      for (const w of this.queue.splice(0, this.queue.length)) w.reject(err);
    } finally {
      this.draining = false;
    }
  }
}
