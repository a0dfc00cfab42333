/**
 * Sentence templates for one language. Placeholders: {company} {title} {team} {city}
 * {skill} {skill2} {years} {soft}. Enough variety that generated descriptions read like
 * different postings, not like one template with the nouns swapped.
 */
export interface LanguagePack {
  about: readonly string[];
  role: readonly string[];
  tasksHeading: string;
  tasks: readonly string[];
  needsHeading: string;
  needs: readonly string[];
  offersHeading: string;
  offers: readonly string[];
  remote: readonly string[];
  onsite: readonly string[];
  /** Longer paragraphs (culture, process, legal) that make long postings long. */
  extra: readonly string[];
  closing: readonly string[];
  /** Requirement line templates. */
  requirement: readonly string[];
  /** One-sentence notes added when a live listing is edited. */
  update: readonly string[];
  /** Optional: headings, verbs and objects combined into varied work items for long postings. */
  workHeadings?: readonly string[];
  workVerbs?: readonly string[];
  workObjects?: readonly string[];
}

export const EN: LanguagePack = {
  about: [
    '{company} builds software that helps mid-sized manufacturers plan production without spreadsheets.',
    'At {company} we run the payments infrastructure behind thousands of independent online shops.',
    '{company} is a profitable, founder-led company of about 200 people with offices in {city} and Lisbon.',
    'Founded in 2014, {company} operates a network of clinics and a telehealth service used by 1.2 million patients.',
    '{company} is a logistics company moving groceries from regional farms to city kitchens within 24 hours.',
    'We are {company}, a B2B marketplace for industrial spare parts, backed by long-term investors.',
    '{company} makes tools that let small accounting firms close the books twice as fast.',
    'Our mission at {company} is to make renewable energy trading simple for local cooperatives.',
    '{company} designs games played by eight million people every month.',
    '{company} is a public-sector technology partner modernising how citizens apply for permits.',
  ],
  role: [
    'We are hiring a {title} to join the {team} team.',
    'As {title} you will own important parts of our {team} work from idea to production.',
    'This {title} role sits in the {team} group and reports to the head of the department.',
    'You will join a team of six people working on {team}, with a lot of autonomy and a short path to customers.',
    'The {team} team is growing and we are looking for a {title} who enjoys hard problems.',
  ],
  tasksHeading: 'What you will do:',
  tasks: [
    '- Design, build and run features using {skill} and {skill2}.',
    '- Take ownership of {skill} in our {team} setup and improve it step by step.',
    '- Work closely with product, design and support to understand what customers need.',
    '- Review the work of colleagues and share what you know about {skill}.',
    '- Measure the impact of your work and decide together what to do next.',
    '- Keep documentation up to date so that the next person can pick things up quickly.',
    '- Help us raise the bar on quality, reliability and {soft}.',
    '- Plan and estimate work with the team in two-week cycles.',
    '- Be part of a fair on-call or shift rotation where the role requires it.',
    '- Improve our processes around {skill} and {skill2} with pragmatic, incremental changes.',
  ],
  needsHeading: 'What we are looking for:',
  needs: [
    '- {years}+ years of professional experience in a similar role.',
    '- Hands-on experience with {skill}; knowledge of {skill2} is a plus.',
    '- You communicate clearly in English, in writing and in person.',
    '- You care about {soft} and enjoy working in a team.',
    '- A degree in a relevant field or equivalent practical experience.',
    '- Comfortable making decisions with incomplete information.',
    '- Experience in a fast-growing company is nice to have, not a must.',
  ],
  offersHeading: 'What we offer:',
  offers: [
    '- 30 days of paid holiday plus public holidays.',
    '- A yearly learning budget and time to use it.',
    '- Flexible working hours and a hybrid setup.',
    '- Company pension scheme and private health insurance.',
    '- A modern laptop and the equipment you need, also for your home office.',
    '- Parental leave beyond the legal minimum.',
    '- Public transport ticket or bike leasing.',
    '- Employee stock options.',
  ],
  remote: [
    'This position is fully remote; we meet in person twice a year.',
    'You can work from anywhere within the listed region, with occasional travel.',
    'Remote-first: most of the team works from home and we document decisions in writing.',
  ],
  onsite: [
    'You will work from our office in {city} at least three days a week.',
    'This role is on site in {city}.',
    'Our office is in the centre of {city}, close to public transport.',
  ],
  extra: [
    'About the team: we are a mixed group of people with very different backgrounds. Some of us joined straight from university, others have spent twenty years in the industry. We value curiosity over certainty, and we prefer a small improvement shipped today over a perfect plan that never leaves the whiteboard. Decisions are written down, discussed asynchronously and revisited when we learn something new.',
    'How we work: every quarter the team agrees on a small number of goals together with product and leadership. Within those goals you decide how to get there. We hold a short planning meeting each week, a demo every second Friday and a retrospective once a month. Meetings have agendas; if a meeting has no agenda, it does not happen.',
    'Our hiring process: after a first call with our recruiter (30 minutes) you meet the hiring manager for a conversation about your experience. Next is a practical exercise that reflects the real work, which we discuss together; we never ask for unpaid take-home projects longer than two hours. The last step is meeting two future colleagues. We aim to give you an answer within two weeks of the first call.',
    'Diversity and inclusion: {company} is an equal opportunity employer. We welcome applications from people of all backgrounds, regardless of gender, age, ethnicity, religion, disability, sexual orientation or any other characteristic. If you need adjustments during the hiring process, tell us and we will make them happen.',
    'Our product: customers use our platform every day to run critical parts of their business, so reliability matters more to us than adding features quickly. We invest in automated tests, careful rollouts and good observability. When something does go wrong, we run blameless post-mortems and fix the system, not the person.',
    'Growth: we believe people grow fastest when they are trusted with real responsibility. You will have a personal development plan, regular one-to-ones with your manager and the chance to rotate into other teams after your first year. Many of our team leads started in individual roles at {company}.',
    'Data protection: by applying you agree that we store your application data for the duration of the hiring process and for up to six months afterwards, in line with applicable data protection law. You can ask us to delete your data at any time.',
    'Our tools: we use {skill} and {skill2} every day, together with a handful of internal tools we built ourselves. You do not need to know all of them on day one; we care more about how you learn than about what you already know.',
  ],
  closing: [
    'Apply with your CV; a cover letter is optional.',
    'Sounds interesting? Send us your application and tell us about something you are proud of.',
    'We look forward to hearing from you.',
    'Questions? Write to our recruiting team, we answer every message.',
  ],
  requirement: [
    '{years}+ years of experience with {skill}',
    'Solid knowledge of {skill}',
    'Experience with {skill} in production',
    'Familiarity with {skill}',
    '{skill}',
  ],
  update: [
    'Update: the salary range for this role has been revised.',
    'Update: we now also consider candidates who need visa sponsorship.',
    'Update: interviews for this role start next week.',
    'Update: this position is now open to part-time candidates as well.',
  ],
  workHeadings: [
    'In your first three months:',
    'Projects you might pick up:',
    'Day to day, you will:',
    'Later in the year:',
    'Where you will make a difference:',
  ],
  // prettier-ignore
  workVerbs: ['Design', 'Build', 'Operate', 'Simplify', 'Document', 'Measure', 'Automate', 'Review', 'Migrate', 'Scale', 'Test', 'Untangle', 'Own', 'Prototype'],
  workObjects: [
    'the core services of the {team} area with {skill}',
    'internal tooling the support team uses every day',
    'the reporting leadership relies on, using {skill}',
    'the onboarding flow for new customers',
    'our release process, moving it toward {skill2}',
    'alerting and dashboards for {team}',
    'the data flows feeding our analytics, based on {skill}',
    'integrations with partner systems',
    'the billing and invoicing workflow',
    'the accessibility of customer-facing screens',
    'the inputs to quarterly planning',
    'cost reporting per customer with {skill2}',
    'a long-standing piece of legacy code nobody enjoys touching',
    'the handover between {team} and the teams around it',
  ],
};
