/**
 * Greedy leader clustering inside one guard block. Listings are taken in order; each joins the
 * most similar leader at or above the threshold, or becomes a leader itself. Leaders from
 * earlier runs come first, so a repost of yesterday's job reuses yesterday's answer. Vectors are
 * unit length, so the dot product is the cosine.
 *
 * A block with many leaders is searched through random-hyperplane LSH (bands of sign bits):
 * only leaders sharing a band with the listing are compared, so a block of thousands costs far
 * less than all pairs. Near-duplicates at cosine ≥ 0.95 differ by at most ~18°, so each bit
 * splits them with probability ≤ 0.1 and one of 12 bands of 10 bits keeps them together with
 * probability ≥ 99%; every candidate is still checked exactly.
 */
export interface Member {
  runId: string;
  listingId: string;
  vector: Float32Array;
}

export interface Assignment {
  listingId: string;
  leaderRunId: string;
  leaderListingId: string;
  similarity: number;
}

/** Below this many leaders a scan is cheaper than hashing. */
export const LSH_MIN_LEADERS = 64;
const BANDS = 12;
const BITS = 10;

export function dot(a: Float32Array, b: Float32Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (a[i] as number) * (b[i] as number);
  return s;
}

/** A fixed seeded stream (mulberry32): the same hyperplanes in every process, so runs repeat. */
function planes(dimensions: number): Float32Array[] {
  let t = 0x5eed1234;
  const next = () => {
    t = (t + 0x6d2b79f5) >>> 0;
    let r = Math.imul(t ^ (t >>> 15), t | 1);
    r ^= r + Math.imul(r ^ (r >>> 7), r | 61);
    return ((r ^ (r >>> 14)) >>> 0) / 4294967296 - 0.5;
  };
  return Array.from({ length: BANDS * BITS }, () => Float32Array.from({ length: dimensions }, next));
}

const planeCache = new Map<number, Float32Array[]>();

function bandKeys(v: Float32Array): string[] {
  let p = planeCache.get(v.length);
  if (!p) {
    p = planes(v.length);
    planeCache.set(v.length, p);
  }
  const keys: string[] = [];
  for (let b = 0; b < BANDS; b++) {
    let bits = 0;
    for (let i = 0; i < BITS; i++) if (dot(v, p[b * BITS + i] as Float32Array) >= 0) bits |= 1 << i;
    keys.push(`${b}:${bits}`);
  }
  return keys;
}

class LeaderIndex {
  readonly leaders: Member[] = [];
  private buckets: Map<string, number[]> | undefined;

  add(m: Member): void {
    this.leaders.push(m);
    if (this.buckets) this.index(this.leaders.length - 1);
    else if (this.leaders.length > LSH_MIN_LEADERS) {
      this.buckets = new Map();
      for (let i = 0; i < this.leaders.length; i++) this.index(i);
    }
  }

  private index(i: number): void {
    for (const k of bandKeys((this.leaders[i] as Member).vector)) {
      const list = this.buckets?.get(k);
      if (list) list.push(i);
      else this.buckets?.set(k, [i]);
    }
  }

  /**
   * The most similar leader at or above `threshold`, earliest on ties. An earlier version of the
   * same listing id is never its leader: an edit in place is a deliberate change, and is scored.
   */
  best(m: Member, threshold: number): { leader: Member; similarity: number } | undefined {
    const v = m.vector;
    let found: { leader: Member; similarity: number; at: number } | undefined;
    const consider = (i: number) => {
      const leader = this.leaders[i] as Member;
      if (leader.listingId === m.listingId) return;
      const similarity = dot(v, leader.vector);
      if (similarity < threshold) return;
      if (!found || similarity > found.similarity || (similarity === found.similarity && i < found.at))
        found = { leader, similarity, at: i };
    };
    if (!this.buckets) this.leaders.forEach((_, i) => consider(i));
    else {
      const seen = new Set<number>();
      for (const k of bandKeys(v))
        for (const i of this.buckets.get(k) ?? []) {
          if (seen.has(i)) continue;
          seen.add(i);
          consider(i);
        }
    }
    return found && { leader: found.leader, similarity: found.similarity };
  }
}

/** The followers of one block: which listing reuses which leader's answer, with the similarity. */
export function clusterBlock(earlier: Member[], members: Member[], threshold: number): Assignment[] {
  const index = new LeaderIndex();
  for (const m of earlier) index.add(m);
  const out: Assignment[] = [];
  for (const m of members) {
    const hit = index.best(m, threshold);
    if (hit) {
      out.push({
        listingId: m.listingId,
        leaderRunId: hit.leader.runId,
        leaderListingId: hit.leader.listingId,
        // Rounded for the record: the decision above used the exact value.
        similarity: Math.round(hit.similarity * 1e4) / 1e4,
      });
    } else index.add(m);
  }
  return out;
}
