/**
 * The simulated model's judgement. The "truth" is a deterministic relevance derived from the texts
 * alone, so benchmarks can measure how far each model's answer strays from it; the model adds
 * seeded noise whose size depends on the model.
 */

const STOPWORDS = new Set(
  (
    'a an and are as at be by for from has have in is it its of on or our the to we with you your will ' +
    'who this that they their per plus must should can into more than least most years year experience ' +
    'role job position team work looking company based strong good great'
  ).split(' '),
);
/** Words handled by the cue logic below, so overlap does not count them twice. */
const CUE_WORDS = new Set(
  (
    'senior junior lead principal staff mid middle intern internship entry graduate level remote hybrid ' +
    'onsite office salary eur usd gbp k pay compensation'
  ).split(' '),
);
const LEVELS: ReadonlyArray<[RegExp, number]> = [
  [/\b(intern|internship|trainee|working student)\b/, 0],
  [/\b(junior|entry[- ]level|graduate)\b/, 1],
  [/\b(mid|middle|intermediate|mid-level|regular)\b/, 2],
  [/\b(senior|sr\.?)\b/, 3],
  [/\b(lead|principal|staff|head of|architect)\b/, 4],
];
const INJECTION =
  /\b(ignore|disregard|forget)\s+(all\s+|any\s+)?(of\s+)?(the\s+|your\s+)?(previous|prior|above|earlier|preceding)\s+(instructions|prompts?|rules)\b|\bnew instructions\s*:|\bsystem prompt\b/i;

function stem(word: string): string {
  for (const suffix of ['ings', 'ing', 'ers', 'er', 'ed', 'es', 's']) {
    if (word.endsWith(suffix) && word.length - suffix.length >= 3) return word.slice(0, -suffix.length);
  }
  return word;
}

/** Folds common spellings together so "Back-end Developer" meets "backend engineer". */
const SYNONYMS: ReadonlyArray<[RegExp, string]> = [
  [/\bback[- ]end\b/g, 'backend'],
  [/\bfront[- ]end\b/g, 'frontend'],
  [/\bfull[- ]?stack\b/g, 'fullstack backend frontend'],
  [/\bnodejs\b/g, 'node js'],
  [/\b(developer|dev|programmer|swe)s?\b/g, 'engineer'],
  [/\b(europe|european union)\b/g, 'eu'],
  // A multilingual judge reads the German listings of the feed, too.
  [/\bentwickler(:?in(nen)?)?\b/g, 'engineer'],
  [/\bverteilte[nr]?\b/g, 'distributed'],
  [/\bsysteme?\b/g, 'systems'],
  [/\bdienste?\b/g, 'services'],
  [/\b(deutschland|deutschlands)\b/g, 'germany'],
];

/** Content words of a text as [stem, word] pairs; the word is kept for readable reasoning. */
function termPairs(text: string): Array<[string, string]> {
  let lower = text.toLowerCase();
  for (const [pattern, replacement] of SYNONYMS) lower = lower.replace(pattern, replacement);
  return (lower.match(/[a-z0-9+#]+/g) ?? [])
    .filter((w) => !STOPWORDS.has(w) && !/^\d+k?$/.test(w))
    .map((w) => [stem(w), w]);
}

const terms = (text: string): string[] => termPairs(text).map(([s]) => s);

function levelOf(text: string): number | undefined {
  const lower = text.toLowerCase();
  let found: number | undefined;
  for (const [pattern, level] of LEVELS) if (pattern.test(lower)) found = Math.max(found ?? -1, level);
  return found;
}

/** Amounts like "80k", "80,000" or "80000" (at least 1000): salaries in whatever currency. */
function amounts(text: string): number[] {
  const out: number[] = [];
  for (const m of text.toLowerCase().matchAll(/(\d{1,3}(?:[.,]\d{3})+|\d+(?:\.\d+)?)\s*(k\b)?/g)) {
    const value = Number((m[1] as string).replace(/[.,](?=\d{3}\b)/g, '')) * (m[2] ? 1000 : 1);
    if (value >= 1000 && value < 10_000_000) out.push(value);
  }
  return out;
}

interface ParsedListing {
  title: string;
  body: string;
  salaryText: string;
  seniorityText: string;
}

/** Every string inside a JSON value, so field names ("location", "seniority") never count as content. */
function stringValues(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(stringValues);
  if (typeof value === 'object' && value !== null) return Object.values(value).flatMap(stringValues);
  return [];
}

/** Reads a listing without assuming a prompt format: JSON if one is embedded, else labelled lines. */
export function parseListing(text: string): ParsedListing {
  const start = text.indexOf('{');
  const end = text.lastIndexOf('}');
  if (start >= 0 && end > start) {
    try {
      const parsed: unknown = JSON.parse(text.slice(start, end + 1));
      if (typeof parsed === 'object' && parsed !== null) {
        const record = parsed as Record<string, unknown>;
        const field = (key: string) => (record[key] === undefined ? '' : JSON.stringify(record[key]));
        return {
          title: typeof record.title === 'string' ? record.title : '',
          body: stringValues(parsed).join('\n'),
          salaryText: field('salary'),
          seniorityText: field('seniority'),
        };
      }
    } catch {
      // Not JSON after all: fall through to the plain-text reading.
    }
  }
  const titleLine = /^\s*title\s*[:=]\s*(.+)$/im.exec(text)?.[1] ?? text.split('\n')[0] ?? '';
  const salaryLine = /salary[^\n]*/i.exec(text)?.[0] ?? '';
  return { title: titleLine, body: text, salaryText: salaryLine, seniorityText: '' };
}

/**
 * What the criteria ask for: the terms of their bullet points when they have any (a profile's
 * must-haves and nice-to-haves, not its preamble or scoring guidance), else every term.
 */
function wantedTerms(criteria: string): Map<string, string> {
  const bullets = criteria
    .split('\n')
    .filter((line) => /^\s*[-*•]\s+/.test(line))
    .join('\n');
  const pairs = termPairs(bullets.length > 0 ? bullets : criteria).filter(([s]) => !CUE_WORDS.has(s));
  return new Map(pairs.reverse());
}

/** The lowest seniority the criteria accept ("senior or above" is senior), unlike a listing's highest. */
function lowestLevelOf(text: string): number | undefined {
  const lower = text.toLowerCase();
  const found = LEVELS.filter(([pattern]) => pattern.test(lower)).map(([, level]) => level);
  return found.length > 0 ? Math.min(...found) : undefined;
}

/**
 * Share of the criteria's terms at which a listing counts as fully covering them. A profile's
 * bullets carry many incidental words ("relocation", "option", "acceptable"); a listing that
 * meets every requirement still names only a fraction of them.
 */
const FULL_COVERAGE_SHARE = 0.16;
/** Places far from Europe, for criteria that ask for a European role. */
const FAR_REGION =
  /\b(usa|united states|us only|us-only|remote \(us\)|canada|brazil|mexico|japan|tokyo|india|singapore|australia|chicago|new york|san francisco|são paulo|sao paulo)\b/i;

export interface Assessment {
  /** Relevance on 1..10 (two decimals). */
  truth: number;
  matched: string[];
  missing: string[];
  notes: string[];
  /** 0 (clear-cut) … 1 (hard to judge): short listings, middling matches, unknown cues. */
  ambiguity: number;
  injection: boolean;
}

/** The full deterministic assessment behind {@link trueScore}. */
export function assessListing(criteria: string, listingText: string): Assessment {
  const listing = parseListing(listingText);
  const titleTerms = new Set(terms(listing.title));
  const bodyTerms = new Set(terms(listing.body));
  const wanted = wantedTerms(criteria);
  const matched: string[] = [];
  const missing: string[] = [];
  let credit = 0;
  for (const [term, word] of [...wanted].reverse()) {
    if (titleTerms.has(term)) credit += 1;
    else if (bodyTerms.has(term)) credit += 0.7;
    else {
      missing.push(word);
      continue;
    }
    matched.push(word);
  }
  const fullAt = Math.max(3, FULL_COVERAGE_SHARE * wanted.size);
  const coverage = wanted.size > 0 ? Math.min(1, credit / fullAt) : 0;
  // Conflicts scale the coverage down (a perfect stack match that pays half the minimum is still a
  // middling fit, not a bad one); confirmations add a little on top.
  let factor = 1;
  let bonus = 0;
  const notes: string[] = [];
  const adjust = (multiplier: number, delta: number, note: string) => {
    factor *= multiplier;
    bonus += delta;
    notes.push(note);
  };
  let unknownCues = 0;

  const wantedLevel = lowestLevelOf(criteria);
  const level = levelOf(`${listing.seniorityText} ${listing.title}`) ?? levelOf(listing.body);
  if (wantedLevel !== undefined) {
    if (level === undefined) unknownCues++;
    else if (level >= wantedLevel) adjust(1, 0.04, 'seniority fits');
    else adjust(Math.max(0.6, 1 - 0.15 * (wantedLevel - level)), 0, 'seniority below');
  }
  if (
    /\b(eu|europe)\b/i.test(criteria) &&
    FAR_REGION.test(listing.body) &&
    !/\b(eu|europe)\b/i.test(listing.body)
  )
    adjust(0.7, 0, 'outside the wanted region');
  if (/\bremote\b/i.test(criteria)) {
    const remote = /\bremote\b/i.test(listing.body);
    const onsite = /\b(on-?site|in[- ]office|office[- ]based)\b/i.test(listing.body);
    if (remote && !/\bno remote\b|\bnot remote\b/i.test(listing.body)) adjust(1, 0.03, 'remote');
    else if (/\bhybrid\b/i.test(listing.body)) adjust(/\bhybrid\b/i.test(criteria) ? 1 : 0.95, 0, 'hybrid');
    else if (onsite) adjust(0.9, 0, 'on-site only');
    else unknownCues++;
  }
  const wantedSalary = /salary|pay|compensation|\d\s*k\b/i.test(criteria) ? amounts(criteria)[0] : undefined;
  if (wantedSalary !== undefined) {
    const offered = amounts(listing.salaryText || listing.body);
    if (offered.length === 0) unknownCues++;
    else if (Math.max(...offered) >= wantedSalary) adjust(1, 0.03, 'salary ok');
    else adjust(Math.max(0.6, 0.4 + 0.5 * (Math.max(...offered) / wantedSalary)), 0, 'salary below minimum');
  }
  const raw = coverage * factor + bonus;

  const truth = Math.round((1 + 9 * Math.min(1, Math.max(0, raw))) * 100) / 100;
  const words = listing.body.split(/\s+/).filter(Boolean).length;
  const shortness = Math.max(0, 1 - words / 60);
  const middling = 1 - Math.abs(truth - 5.5) / 4.5;
  const ambiguity = Math.min(1, 0.5 * shortness + 0.3 * middling + 0.1 * unknownCues);
  return { truth, matched, missing, notes, ambiguity, injection: INJECTION.test(listingText) };
}

/** True relevance of a listing to the criteria on 1..10: what a perfect, noiseless judge says. */
export function trueScore(criteria: string, listingText: string): number {
  return assessListing(criteria, listingText).truth;
}
