import { EN, type LanguagePack } from './phrases-en';
import { DE, ES, FR, PT } from './phrases-europe';
import { IT, JA, NL, PL } from './phrases-more';
import { WeightedTable, type Rng } from './random';

export const LANGUAGE_PACKS: Readonly<Record<string, LanguagePack>> = {
  en: EN,
  de: DE,
  fr: FR,
  es: ES,
  pt: PT,
  nl: NL,
  pl: PL,
  it: IT,
  ja: JA,
};

export interface DescribeContext {
  language: string;
  company: string;
  title: string;
  team: string;
  city: string;
  remote: boolean;
  skills: readonly string[];
  soft: readonly string[];
}

/**
 * Target lengths in characters, from a two-line blurb to a ~2,500-word posting. Weighted
 * toward short text: real feeds are mostly short, and the mean size bounds how fast a
 * million-line feed can be written.
 */
const LENGTH_CLASSES = new WeightedTable<{ weight: number; min: number; max: number }>(
  [
    { weight: 24, min: 60, max: 280 },
    { weight: 45, min: 300, max: 800 },
    { weight: 22, min: 800, max: 2_000 },
    { weight: 6.5, min: 2_500, max: 6_500 },
    { weight: 2.5, min: 8_000, max: 16_000 },
  ],
  [24, 45, 22, 6.5, 2.5],
);
/** Japanese says in one character what English says in about two to three. */
const JA_DENSITY = 0.45;
/** Stays clear of the 20,000-character schema limit and, for 3-byte scripts, the 64 KiB line limit. */
const MAX_DESCRIPTION_CHARS = 17_000;
const MAX_JA_DESCRIPTION_CHARS = 7_000;
/**
 * Other languages have only a few template sentences each; past this length they would read
 * as the same paragraphs on repeat, so the longest postings are English (as in most feeds).
 */
const MAX_OTHER_TARGET = 4_000;

export function packFor(language: string): LanguagePack {
  return LANGUAGE_PACKS[language] ?? EN;
}

export function pickDescriptionLength(rng: Rng, language: string): number {
  const cls = LENGTH_CLASSES.pick(rng);
  const target = Math.min(rng.int(cls.min, cls.max), language === 'en' ? Infinity : MAX_OTHER_TARGET);
  return language === 'ja' ? Math.round(target * JA_DENSITY) : target;
}

/** Templates split once into [literal, key, literal, key, ...]: far cheaper than a regex per sentence. */
const compiled = new Map<string, readonly string[]>();
function compile(template: string): readonly string[] {
  let parts = compiled.get(template);
  if (parts === undefined) {
    parts = template.split(/\{(\w+)\}/);
    compiled.set(template, parts);
  }
  return parts;
}

function value(rng: Rng, key: string, ctx: DescribeContext): string {
  switch (key) {
    case 'company':
      return ctx.company;
    case 'title':
      return ctx.title;
    case 'team':
      return ctx.team;
    case 'city':
      return ctx.city;
    case 'skill':
    case 'skill2':
      return ctx.skills.length > 0 ? rng.pick(ctx.skills) : ctx.team;
    case 'soft':
      return ctx.soft.length > 0 ? rng.pick(ctx.soft) : ctx.team;
    case 'years':
      return String(rng.int(2, 8));
    default:
      return `{${key}}`;
  }
}

/** Fills {placeholders}; each {skill}/{skill2} draws afresh so repeated templates still differ. */
export function fill(rng: Rng, template: string, ctx: DescribeContext): string {
  const parts = compile(template);
  let out = parts[0] ?? '';
  for (let i = 1; i < parts.length; i += 2) out += value(rng, parts[i] ?? '', ctx) + (parts[i + 1] ?? '');
  return out;
}

/** Writes a description in the listing's language, growing section by section toward the target length. */
export function describe(rng: Rng, ctx: DescribeContext, target: number): string {
  const p = packFor(ctx.language);
  const parts: string[] = [];
  let size = 0;
  const add = (s: string): void => {
    parts.push(s);
    size += s.length + 1;
  };
  const placeLine = fill(rng, rng.pick(ctx.remote ? p.remote : p.onsite), ctx);

  add(`${fill(rng, rng.pick(p.role), ctx)} ${placeLine}`);
  if (size < target) parts.unshift(fill(rng, rng.pick(p.about), ctx));
  if (size < target) {
    add(p.tasksHeading);
    for (const t of rng.sample(p.tasks, rng.int(3, 6))) add(fill(rng, t, ctx));
  }
  if (size < target) {
    add(p.needsHeading);
    for (const t of rng.sample(p.needs, rng.int(3, 5))) add(fill(rng, t, ctx));
  }
  if (size < target) {
    add(p.offersHeading);
    for (const t of rng.sample(p.offers, rng.int(2, 5))) add(fill(rng, t, ctx));
  }
  // Long postings: prose about the company alternating with more detailed work lists, the way
  // real long postings grow with culture, process and legal text. Prose paragraphs are dealt
  // from a shuffled deck so the same paragraph does not follow itself.
  const maxChars = ctx.language === 'ja' ? MAX_JA_DESCRIPTION_CHARS : MAX_DESCRIPTION_CHARS;
  let deck: string[] = [];
  let round = 0;
  while (size < target && size < maxChars) {
    if (deck.length === 0) deck = rng.sample(p.extra, p.extra.length);
    add(fill(rng, deck.pop() ?? '', ctx));
    if (round++ % 2 === 0) {
      if (p.workHeadings !== undefined && p.workVerbs !== undefined && p.workObjects !== undefined) {
        add(rng.pick(p.workHeadings));
        for (let i = rng.int(3, 6); i > 0; i--) {
          add(fill(rng, `- ${rng.pick(p.workVerbs)} ${rng.pick(p.workObjects)}.`, ctx));
        }
      } else {
        add(p.tasksHeading);
        for (const t of rng.sample(p.tasks, rng.int(2, 4))) add(fill(rng, t, ctx));
      }
    }
  }
  if (target > 250) add(fill(rng, rng.pick(p.closing), ctx));

  const text = parts.join('\n');
  if (text.length <= maxChars) return text;
  const cut = text.lastIndexOf('\n', maxChars);
  return text.slice(0, cut > 0 ? cut : maxChars);
}

/** 0–15 requirement lines drawn from the role's skills and the family's soft skills. */
export function requirementsFor(rng: Rng, ctx: DescribeContext): string[] {
  if (rng.chance(0.12)) return [];
  const p = packFor(ctx.language);
  const n = Math.min(15, 1 + Math.floor(rng.next() * rng.next() * 16));
  const pool = [...ctx.skills, ...ctx.soft];
  return rng.sample(pool, n).map((skill) => {
    const template = rng.pick(p.requirement);
    return template.replace('{skill}', skill).replace('{years}', String(rng.int(1, 8)));
  });
}
