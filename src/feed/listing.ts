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
 * One job listing as the feed carries it. Strict: an unknown key is rejected, because a typo
 * such as `salery` would otherwise silently drop data the scorer relies on.
 */
export const listingSchema = z.strictObject({
  id: z
    .string()
    .min(1)
    .max(LISTING_LIMITS.idLength)
    .regex(/^[A-Za-z0-9._:-]+$/, { error: 'may only contain letters, digits and . _ : -' }),
  title: text(LISTING_LIMITS.titleLength),
  company: text(LISTING_LIMITS.companyLength),
  location: text(LISTING_LIMITS.locationLength),
  remote: z.boolean(),
  seniority: z.enum(SENIORITIES),
  salary: salarySchema.optional(),
  // Two-letter primary language subtag only (en, de, ja, ...): the scorer picks prompts by it.
  language: z.string().regex(/^[a-z]{2}$/, { error: 'must be a 2-letter lowercase language code' }),
  description: text(LISTING_LIMITS.descriptionLength),
  requirements: z.array(text(LISTING_LIMITS.requirementLength)).max(LISTING_LIMITS.requirementsCount),
  // z.iso.date() checks the calendar too (no 2023-02-29), not only the shape.
  postedAt: z.iso.date({ error: 'must be a real calendar date in YYYY-MM-DD form' }),
  url: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).optional(),
});

export type Listing = z.infer<typeof listingSchema>;
export type Salary = NonNullable<Listing['salary']>;
