import { COMPANY_COUNT, companyName, companySlug } from './companies';
import { isoDate } from './days';
import { describe, packFor, pickDescriptionLength, requirementsFor, type DescribeContext } from './describe';
import { INJECTION_PHRASES } from './injections';
import { SENIORITIES, type FullListing as Listing, type Salary, type Seniority } from '../src/feed/listing';
import { PLACE_WEIGHTS, PLACES, USD_RATE, type Place } from './locations';
import { hash01, hash32, Purpose, Rng, WeightedTable } from './random';
import { ROLE_FREQUENCY, ROLES, SENIORITY_PAY, SENIORITY_WEIGHTS, titleFor, type Role } from './roles';
import { ChurnSchedule } from './schedule';

export interface FactoryConfig {
  seed: number;
  count: number;
  churn: number;
  nearDuplicateRate: number;
  /** Share of slots that repost another live listing with realistic edits (see `repost`). */
  repostRate?: number;
  injectionRate: number;
}

/** Other job boards a repost may come from: same job, another host. */
const BOARDS = ['jobboard', 'careerhub', 'hireline', 'worknest'] as const;

const table = <T>(items: readonly T[], weight: (item: T) => number): WeightedTable<T> =>
  new WeightedTable(items, items.map(weight));
const roleShare = (r: Role): number => ROLE_FREQUENCY[r.title] ?? 1;
const familyShares = new Map<Role['family'], number>();
for (const r of ROLES) familyShares.set(r.family, (familyShares.get(r.family) ?? 0) + roleShare(r));
// A family's weight is split among its roles, so adding a role does not make the family grow.
const ROLE_TABLE = table(ROLES, (r) => (r.family.weight * roleShare(r)) / (familyShares.get(r.family) ?? 1));
const PLACE_TABLE = table(PLACES, (p) => PLACE_WEIGHTS[p.name] ?? 1);
const SENIORITY_TABLE = table(SENIORITIES, (s) => SENIORITY_WEIGHTS[s]);
const LANGUAGE_TABLES = new Map(PLACES.map((p) => [p, table(p.languages, ([, w]) => w)] as const));
const HOURS_PER_YEAR = 2080;
const POSTED_WINDOW_DAYS = 30;
/** Word swaps a recruiter might make when reposting the same job. */
const TITLE_SWAPS: ReadonlyArray<readonly [string, string]> = [
  ['Engineer', 'Developer'],
  ['Specialist', 'Expert'],
  ['Senior ', 'Sr. '],
  ['Manager', 'Lead'],
  ['Analyst', 'Analyst (f/m/d)'],
];

/** Rounds to two significant figures, the way salaries are quoted (85,000; 42; 1,500,000). */
function roundPay(x: number): number {
  const step = 10 ** Math.max(0, Math.floor(Math.log10(x)) - 1);
  return Math.round(x / step) * step;
}

/**
 * Builds the listing a population slot shows on a day. Pure: the same (config, slot, day)
 * always gives the same listing, and two days with the same slot version give identical ones.
 */
export class ListingFactory {
  private readonly schedule: ChurnSchedule;

  constructor(private readonly cfg: FactoryConfig) {
    this.schedule = new ChurnSchedule(cfg.seed, cfg.churn);
  }

  /** The listing slot `slot` shows on `day`, and the slot's version that day. */
  listingFor(slot: number, day: number): { listing: Listing; version: number; copyOf?: string } {
    const { seed } = this.cfg;
    const st = this.schedule.at(slot, day);
    const id = `job-${slot}-${st.idVersion}`;

    let listing: Listing;
    let copyOf: string | undefined;
    const nearDupSource = this.isNearDuplicate(slot, st.idVersion)
      ? this.sourceFor(slot, st.idVersion, day)
      : -1;
    const repostSource =
      nearDupSource < 0 && this.isRepost(slot, st.idVersion)
        ? this.repostSourceFor(slot, st.idVersion, day)
        : -1;
    if (repostSource >= 0) {
      const src = this.schedule.at(repostSource, day);
      copyOf = `job-${repostSource}-${src.idVersion}`;
      listing = this.plain(repostSource, src.idVersion);
    } else if (nearDupSource >= 0) {
      // Track the source as it is today, so the repost is a near-duplicate of a live listing.
      const src = this.schedule.at(nearDupSource, day);
      copyOf = `job-${nearDupSource}-${src.idVersion}`;
      listing = this.nearDuplicate(
        this.plain(nearDupSource, src.idVersion),
        new Rng(seed, slot, st.idVersion, Purpose.nearDuplicate),
      );
    } else {
      listing = this.plain(slot, st.idVersion);
    }
    listing.id = id;
    if (listing.url !== undefined) listing.url = `https://jobs.${companySlug(listing.company)}.example/${id}`;

    if (st.version > st.idVersion) this.edit(listing, new Rng(seed, slot, st.version, Purpose.edit));
    if (hash01(seed, slot, st.version, Purpose.injection) < this.cfg.injectionRate) {
      this.inject(listing, new Rng(seed, slot, st.version, Purpose.injection));
    }

    // Posted up to a few weeks before the version first appeared, never after it; together
    // with the version's lifetime this keeps postedAt within the last 30 days for churn ≥ 1/30.
    const lifetime = Math.ceil(this.schedule.meanLifetimeDays);
    const maxAge = Math.max(
      0,
      POSTED_WINDOW_DAYS - (Number.isFinite(lifetime) ? lifetime : POSTED_WINDOW_DAYS),
    );
    listing.postedAt = isoDate(st.startDay - (hash32(seed, slot, st.version, Purpose.posted) % (maxAge + 1)));
    if (repostSource >= 0) {
      this.repost(listing, new Rng(seed, slot, st.idVersion, Purpose.repost), id);
    }
    return copyOf === undefined ? { listing, version: st.version } : { listing, version: st.version, copyOf };
  }

  private isRepost(slot: number, idVersion: number): boolean {
    const rate = this.cfg.repostRate ?? 0;
    return rate > 0 && hash01(this.cfg.seed, slot, idVersion, Purpose.repost) < rate;
  }

  /** An original to repost: neither a repost nor a near-duplicate itself, so truth has one level. */
  private repostSourceFor(slot: number, idVersion: number, day: number): number {
    if (this.cfg.count < 2) return -1;
    for (let attempt = 0; attempt < 8; attempt++) {
      const src = hash32(this.cfg.seed, slot, idVersion, Purpose.repostSource, attempt) % this.cfg.count;
      const srcVersion = this.schedule.at(src, day).idVersion;
      if (src !== slot && !this.isRepost(src, srcVersion) && !this.isNearDuplicate(src, srcVersion))
        return src;
    }
    return -1;
  }

  /**
   * The same job posted again under a new id, the way boards and recruiters do it: a date line
   * on top, other line breaks, the requirements in another order, another board's URL. Each
   * repost gets at least two of these, so few are byte-identical to the original.
   */
  private repost(listing: Listing, rng: Rng, id: string): void {
    const edits = (['date', 'whitespace', 'reorder', 'board'] as const).filter(() => rng.chance(0.6));
    if (edits.length < 2) edits.push(rng.pick(['date', 'reorder'] as const), 'whitespace');
    if (edits.includes('date')) {
      const label = rng.pick(['Posted', 'Reposted', 'Updated', 'Date posted:']);
      listing.description = `${label} ${listing.postedAt}\n${listing.description}`;
    }
    if (edits.includes('whitespace')) {
      listing.description = listing.description.replaceAll('\n', rng.chance(0.5) ? '\n\n' : ' \n').trimEnd();
    }
    if (edits.includes('reorder') && listing.requirements.length > 1) {
      const reqs = [...listing.requirements];
      for (let i = reqs.length - 1; i > 0; i--) {
        const j = rng.int(0, i);
        [reqs[i], reqs[j]] = [reqs[j] as string, reqs[i] as string];
      }
      listing.requirements = reqs;
    }
    if (edits.includes('board')) listing.url = `https://${rng.pick(BOARDS)}.example/jobs/${id}`;
  }

  private isNearDuplicate(slot: number, idVersion: number): boolean {
    return hash01(this.cfg.seed, slot, idVersion, Purpose.nearDuplicate) < this.cfg.nearDuplicateRate;
  }

  /** Another slot to copy; avoids slots that are near-duplicates themselves. -1 if none found. */
  private sourceFor(slot: number, idVersion: number, day: number): number {
    if (this.cfg.count < 2) return -1;
    for (let attempt = 0; attempt < 4; attempt++) {
      const src =
        hash32(this.cfg.seed, slot, idVersion, Purpose.nearDuplicateSource, attempt) % this.cfg.count;
      if (src !== slot && !this.isNearDuplicate(src, this.schedule.at(src, day).idVersion)) return src;
    }
    return -1;
  }

  /** The listing as first posted for this slot and id; postedAt and id are set by the caller. */
  private plain(slot: number, idVersion: number): Listing {
    const rng = new Rng(this.cfg.seed, slot, idVersion, Purpose.base);
    const role = ROLE_TABLE.pick(rng);
    const seniority = SENIORITY_TABLE.pick(rng);
    const place = PLACE_TABLE.pick(rng);
    const remote = place.remoteOnly === true || rng.chance(0.2);
    const language = LANGUAGE_TABLES.get(place)?.pick(rng)[0] ?? 'en';
    const company = companyName(this.cfg.seed, rng.int(0, COMPANY_COUNT - 1));
    const title = titleFor(role, seniority);
    const ctx: DescribeContext = {
      language,
      company,
      title,
      team: role.area,
      city: place.name.split(',')[0] ?? place.name,
      remote,
      skills: role.skills,
      soft: role.family.soft,
    };
    // Most feeds omit pay for about a third of listings.
    let salary: Salary | undefined;
    if (rng.chance(0.68)) {
      const usd = role.family.basePayUsd * (role.payFactor ?? 1) * SENIORITY_PAY[seniority] * place.payLevel;
      salary = this.salary(rng, usd * (0.85 + rng.next() * 0.3), place, role.family.hourlyShare, seniority);
    }
    const description = describe(rng, ctx, pickDescriptionLength(rng, language));
    const requirements = requirementsFor(rng, ctx);
    const hasUrl = rng.chance(0.85);
    // Key order is fixed here once, so equal content always serialises to equal bytes.
    const listing: Listing = {
      id: '',
      title,
      company,
      location: place.name,
      remote,
      seniority,
      ...(salary === undefined ? {} : { salary }),
      language,
      description,
      requirements,
      postedAt: '',
      // The real URL needs the final id; the caller fills it in.
      ...(hasUrl ? { url: '' } : {}),
    };
    return listing;
  }

  private salary(
    rng: Rng,
    annualUsd: number,
    place: Place,
    hourlyShare: number,
    seniority: Seniority,
  ): Salary {
    const local = annualUsd * (USD_RATE[place.currency] ?? 1);
    let period: Salary['period'] = 'year';
    let mid = local;
    const hourlyChance = hourlyShare + (seniority === 'intern' ? 0.3 : 0);
    if (place.hourlyCustom && rng.chance(hourlyChance)) {
      period = 'hour';
      mid = local / HOURS_PER_YEAR;
    } else if (rng.chance(place.monthlyShare)) {
      period = 'month';
      mid = local / 12;
    }
    // Some postings quote one figure, most a band of 8–30 %.
    const spread = rng.pick([0, 0.08, 0.12, 0.18, 0.25, 0.3]);
    return {
      min: roundPay(mid * (1 - spread / 2)),
      max: roundPay(mid * (1 + spread / 2)),
      currency: place.currency,
      period,
    };
  }

  /** The same job reposted with one tiny difference: spacing, one word, or the location. */
  private nearDuplicate(listing: Listing, rng: Rng): Listing {
    const kind = rng.pick(['whitespace', 'word', 'location'] as const);
    if (kind === 'location') {
      const other = rng.pick(PLACES.filter((p) => p.name !== listing.location));
      listing.location = other.name;
      if (other.remoteOnly === true) listing.remote = true;
      return listing;
    }
    if (kind === 'word') {
      const swap = TITLE_SWAPS.find(([from]) => listing.title.includes(from));
      if (swap !== undefined) {
        listing.title = listing.title.replace(swap[0], swap[1]);
        return listing;
      }
    }
    const d = listing.description;
    listing.description = d.includes('\n') ? d.replace('\n', '\n\n') : `${d} `;
    return listing;
  }

  /** An in-place edit of a live listing: a note, a pay revision, a requirement, or the remote flag. */
  private edit(listing: Listing, rng: Rng): void {
    const kind = rng.pick(['note', 'salary', 'requirements', 'remote'] as const);
    if (kind === 'salary' && listing.salary !== undefined) {
      const f = 1 + rng.int(3, 10) / 100;
      const { min, max } = listing.salary;
      listing.salary = {
        ...listing.salary,
        min: roundPay(min * f),
        max: Math.max(roundPay(max * f), roundPay(min * f)),
      };
    } else if (kind === 'requirements' && listing.requirements.length > 1) {
      listing.requirements = listing.requirements.slice(0, -1);
    } else if (kind === 'remote' && !listing.location.startsWith('Remote')) {
      listing.remote = !listing.remote;
    }
    // Every edit also leaves a visible note, so the description shows that something changed.
    listing.description = `${listing.description}\n${rng.pick(packFor(listing.language).update)}`;
  }

  /** Hides an injection phrase between two paragraphs (or at the end) of the description. */
  private inject(listing: Listing, rng: Rng): void {
    const phrase = rng.pick(INJECTION_PHRASES);
    const breaks: number[] = [];
    for (let i = listing.description.indexOf('\n'); i !== -1; i = listing.description.indexOf('\n', i + 1))
      breaks.push(i);
    const at = breaks.length > 0 && rng.chance(0.7) ? rng.pick(breaks) : listing.description.length;
    listing.description = `${listing.description.slice(0, at)}\n${phrase}${listing.description.slice(at)}`;
  }
}
