import { z } from 'zod';

/** Limits shared by the schema, the parser's messages and the generator's malformed lines. */
export const LISTING_LIMITS = {
  idLength: 128,
  titleLength: 300,
  companyLength: 200,
  locationLength: 200,
  descriptionLength: 20_000,
  requirementsCount: 50,
  requirementLength: 500,
} as const;

export const SENIORITIES = [
  'intern',
  'junior',
  'mid',
  'senior',
  'staff',
  'principal',
  'lead',
  'manager',
  'director',
] as const;
export type Seniority = (typeof SENIORITIES)[number];

/**
 * Free text must carry at least one visible character: a title of three spaces is a typo, not
 * a title. The regex also covers the empty string, so one message serves both.
 */
const text = (max: number) => z.string().max(max).regex(/\S/, { error: 'must not be empty or blank' });

const salarySchema = z
  .strictObject({
    min: z.number().min(0, { error: 'must be ≥ 0' }),
    max: z.number().min(0, { error: 'must be ≥ 0' }),
    currency: z.string().regex(/^[A-Z]{3}$/, { error: 'must be a 3-letter uppercase ISO 4217 code' }),
    period: z.enum(['year', 'month', 'hour']),
  })
  // Attached to `max` so the message reads "salary.max: must be ≥ salary.min".
  .refine((s) => s.max >= s.min, { path: ['max'], error: 'must be ≥ salary.min' });

/**
 * One job listing as the pipeline keeps it. Only `id`, `title` and `description` are required:
 * a job board export or a scraper rarely has more than those plus company and location, and
 * the prompt says "not stated" for whatever is missing. What is given is checked strictly
 * (types, limits, enum values), because a wrong value would mislead the scorer. The object is
 * strict because the feed readers (see `records.ts`) have already set unknown keys aside with a
 * warning: an unknown key reaching the schema is a bug of ours.
 */
export const listingSchema = z.strictObject({
  id: z
    .string()
    .min(1)
    .max(LISTING_LIMITS.idLength)
    .regex(/^[A-Za-z0-9._:-]+$/, { error: 'may only contain letters, digits and . _ : -' }),
  title: text(LISTING_LIMITS.titleLength),
  company: text(LISTING_LIMITS.companyLength).optional(),
  location: text(LISTING_LIMITS.locationLength).optional(),
  remote: z.boolean().optional(),
  seniority: z.enum(SENIORITIES).optional(),
  salary: salarySchema.optional(),
  // Two-letter primary language subtag only (en, de, ja, ...): routing prices other languages higher.
  language: z
    .string()
    .regex(/^[a-z]{2}$/, { error: 'must be a 2-letter lowercase language code' })
    .optional(),
  description: text(LISTING_LIMITS.descriptionLength),
  requirements: z
    .array(text(LISTING_LIMITS.requirementLength))
    .max(LISTING_LIMITS.requirementsCount)
    .optional(),
  // z.iso.date() checks the calendar too (no 2023-02-29), not only the shape.
  postedAt: z.iso.date({ error: 'must be a real calendar date in YYYY-MM-DD form' }).optional(),
  url: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).optional(),
});

export type Listing = z.infer<typeof listingSchema>;
export type Salary = NonNullable<Listing['salary']>;

/** What our own generator and the golden canaries always carry: every field but salary and url. */
export type FullListing = Listing &
  Required<
    Pick<Listing, 'company' | 'location' | 'remote' | 'seniority' | 'language' | 'requirements' | 'postedAt'>
  >;

/** The listing's own fields, in the order the README documents them. */
export const LISTING_FIELDS = [
  'id',
  'title',
  'description',
  'company',
  'location',
  'remote',
  'seniority',
  'language',
  'salary',
  'requirements',
  'postedAt',
  'url',
] as const satisfies ReadonlyArray<keyof Listing>;
export type ListingField = (typeof LISTING_FIELDS)[number];

/** Flat salary columns, for CSV (and flat JSON exports): assembled into `salary`. */
export const SALARY_PARTS = {
  salary_min: 'min',
  salary_max: 'max',
  salary_currency: 'currency',
  salary_period: 'period',
} as const;
export type SalaryPart = keyof typeof SALARY_PARTS;

/** Every name a field mapping may point at. */
export type FeedField = ListingField | SalaryPart;
export const FEED_FIELDS: readonly FeedField[] = [
  ...LISTING_FIELDS,
  ...(Object.keys(SALARY_PARTS) as SalaryPart[]),
];
export const REQUIRED_FIELDS: readonly ListingField[] = ['id', 'title', 'description'];
