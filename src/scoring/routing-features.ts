import type { Listing, Seniority } from '../feed/listing';

/**
 * What routing knows about one listing: measurements and facts read from the listing alone,
 * without thresholds. Whether a fact makes the task hard enough for the large model is the
 * routing configuration's call (see `routeListing`).
 */
export interface ListingFeatures {
  // Size and language
  approxTokens: number;
  language: string;
  requirements: number;
  // Structure
  /** Characters of the description. */
  descriptionChars: number;
  /** The longest run of description text without a line break: a wall of text is hard to take apart. */
  longestParagraphChars: number;
  /** Pay as a structured field; absent, the model has to guess (or dig it out of the prose). */
  hasSalary: boolean;
  // Ambiguity
  /** The `remote` flag says one thing and the text the other. */
  remoteConflict: boolean;
  /** The title names a seniority level that the `seniority` field does not. */
  seniorityConflict: boolean;
}

/** What the listing is judged against: a profile with many must-haves is a harder task than one with two. */
export interface TaskFeatures {
  /** Judgements the criteria ask for: see {@link taskFeatures}. */
  mustHaves: number;
  approxTokens: number;
}

/**
 * Kana, CJK ideographs and Hangul: about one token per character, where Latin scripts take
 * about four characters per token.
 */
const DENSE_SCRIPT = /[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af\uff66-\uff9f]/g;

/** Routing needs a size class, not a count: four characters per token, one per dense-script character. */
export function approxTokens(text: string): number {
  const dense = text.match(DENSE_SCRIPT)?.length ?? 0;
  return Math.ceil((text.length - dense) / 4 + dense);
}

/** BCP 47's "undetermined": neither stated nor detected. Routing prices it like any non-English text. */
export const UNKNOWN_LANGUAGE = 'und';

/**
 * A fact that is not stated cannot contradict the text, so a listing without `remote` or
 * `seniority` has no conflict there; one without requirements counts as having no list.
 */
export function listingFeatures(l: Listing): ListingFeatures {
  const requirements = l.requirements ?? [];
  const text = [l.title, l.description, requirements.join(' '), l.location ?? ''].join(' ');
  return {
    approxTokens: approxTokens(text),
    language: l.language ?? UNKNOWN_LANGUAGE,
    requirements: requirements.length,
    descriptionChars: l.description.length,
    longestParagraphChars: Math.max(...l.description.split('\n').map((p) => p.length)),
    hasSalary: l.salary !== undefined,
    remoteConflict: remoteConflict(l),
    seniorityConflict: l.seniority !== undefined && seniorityConflict(l.title, l.seniority),
  };
}

/**
 * Remote work as the feed's languages say it. Only unambiguous phrases: "deux jours de
 * télétravail" is a hybrid role, "télétravail complet" a remote one.
 */
const SAYS_REMOTE =
  /\bremote\b|\bremoto\b|\bfull remote\b|\btélétravail complet|\bop afstand\b|\bzdaln[aey]\b|フルリモート/i;
const SAYS_NOT_REMOTE = /\b(no|not|kein|keine)\s+remote\b|\bnon[- ]remote\b/i;
const SAYS_ON_SITE =
  /\bon[- ]?site\b|\bin[- ]office\b|\bfrom our office\b|\bpresencial\b|\bBüro\b|\bbureaux?\b|\bkantoor\b|\bufficio\b|\bbiur(a|ze)\b|出社|オフィス/i;

/** `remote: false` under a text that offers remote work, or `remote: true` under an office-only text. */
function remoteConflict(l: Listing): boolean {
  if (l.remote === undefined) return false;
  const text = `${l.location ?? ''}\n${l.description}`;
  const saysRemote = SAYS_REMOTE.test(text) && !SAYS_NOT_REMOTE.test(text);
  return l.remote ? !saysRemote && SAYS_ON_SITE.test(text) : saysRemote;
}

/**
 * Level words a title can carry, and the `seniority` values each is consistent with. Words
 * that are also job names ("Manager" in "Product Manager", "Architect") are left out.
 */
const TITLE_LEVELS: ReadonlyArray<[RegExp, readonly Seniority[]]> = [
  [/\b(intern|internship|trainee|werkstudent)\b/i, ['intern']],
  [/\b(junior|jr\.?)(?=\s|$)/i, ['junior', 'intern']],
  [/\b(senior|sr\.?)(?=\s|$)/i, ['senior']],
  [/\bstaff\b/i, ['staff']],
  [/\bprincipal\b/i, ['principal']],
  [/\blead\b/i, ['lead', 'manager']],
  [/\b(head of|director|vp)\b/i, ['director', 'manager']],
];

function seniorityConflict(title: string, seniority: Seniority): boolean {
  const named = TITLE_LEVELS.filter(([pattern]) => pattern.test(title));
  return named.length > 0 && !named.some(([, levels]) => levels.includes(seniority));
}

const BULLET = /^\s*(?:[-*•]|\d+[.)])\s+/;
const HEADING = /^\s*[^-*•\s].*:\s*$/;
const MUST_HEADING = /\b(must|required|requirements|essential|mandatory)\b/i;
const NICE_HEADING = /\b(nice|optional|bonus|plus|preferred)\b/i;

/**
 * The task's size from its criteria. Must-haves are the bullets under a heading that names
 * them ("Must have:"); without such a heading, every bullet outside a nice-to-have section;
 * criteria without bullets count their comma-, semicolon- or line-separated items.
 */
export function taskFeatures(criteria: string): TaskFeatures {
  const lines = criteria.split('\n');
  let section: 'must' | 'nice' | 'plain' = 'plain';
  let sawMustHeading = false;
  let bullets = 0;
  let underMust = 0;
  let plain = 0;
  for (const line of lines) {
    if (BULLET.test(line)) {
      bullets++;
      if (section === 'must') underMust++;
      else if (section === 'plain') plain++;
    } else if (HEADING.test(line)) {
      section = MUST_HEADING.test(line) ? 'must' : NICE_HEADING.test(line) ? 'nice' : 'plain';
      sawMustHeading ||= section === 'must';
    }
  }
  const items = criteria.split(/[,;\n]/).filter((item) => /\S/.test(item)).length;
  return {
    mustHaves: bullets === 0 ? items : sawMustHeading ? underMust : plain,
    approxTokens: approxTokens(criteria),
  };
}
