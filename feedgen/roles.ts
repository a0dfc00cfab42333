import type { Seniority } from '../src/feed/listing';

/** A job family: shared skills, management titles, pay level and how often pay is hourly. */
export interface Family {
  name: string;
  /** Title for the `manager` seniority; `{area}` becomes the role's area. */
  manager: string;
  director: string;
  /** Annual pay in USD for a mid-level role in the US, before location and seniority factors. */
  basePayUsd: number;
  /** Share of listings (where local custom allows) that quote an hourly rate. */
  hourlyShare: number;
  soft: readonly string[];
  weight: number;
}

export interface Role {
  title: string;
  area: string;
  family: Family;
  skills: readonly string[];
  /** Relative pay versus the family base. */
  payFactor?: number;
}

const fam = (f: Family): Family => f;

const engineering = fam({
  name: 'engineering',
  manager: 'Engineering Manager, {area}',
  director: 'Director of Engineering',
  basePayUsd: 135_000,
  hourlyShare: 0.04,
  soft: ['code review', 'mentoring', 'technical writing', 'on-call experience', 'agile delivery'],
  weight: 34,
});
const data = fam({
  name: 'data',
  manager: 'Data Science Manager, {area}',
  director: 'Director of Data',
  basePayUsd: 130_000,
  hourlyShare: 0.04,
  soft: ['stakeholder communication', 'experiment design', 'storytelling with data', 'documentation'],
  weight: 11,
});
const design = fam({
  name: 'design',
  manager: 'Design Manager, {area}',
  director: 'Director of Design',
  basePayUsd: 110_000,
  hourlyShare: 0.08,
  soft: ['portfolio of shipped work', 'facilitating workshops', 'giving and receiving critique'],
  weight: 6,
});
const product = fam({
  name: 'product',
  manager: 'Group Product Manager, {area}',
  director: 'Director of Product',
  basePayUsd: 140_000,
  hourlyShare: 0.02,
  soft: ['prioritisation', 'stakeholder management', 'written communication', 'discovery interviews'],
  weight: 6,
});
const operations = fam({
  name: 'operations',
  manager: 'Operations Manager, {area}',
  director: 'Director of Operations',
  basePayUsd: 58_000,
  hourlyShare: 0.35,
  soft: ['reliability', 'shift flexibility', 'problem solving', 'clear handovers'],
  weight: 10,
});
const sales = fam({
  name: 'sales',
  manager: 'Sales Manager, {area}',
  director: 'Director of Sales',
  basePayUsd: 90_000,
  hourlyShare: 0.05,
  soft: ['negotiation', 'resilience', 'active listening', 'forecast discipline'],
  weight: 9,
});
const marketing = fam({
  name: 'marketing',
  manager: 'Marketing Manager, {area}',
  director: 'Director of Marketing',
  basePayUsd: 88_000,
  hourlyShare: 0.06,
  soft: ['copywriting', 'creativity', 'data-driven decisions', 'cross-team collaboration'],
  weight: 7,
});
const finance = fam({
  name: 'finance',
  manager: 'Finance Manager, {area}',
  director: 'Director of Finance',
  basePayUsd: 92_000,
  hourlyShare: 0.05,
  soft: ['attention to detail', 'confidentiality', 'deadline discipline', 'Excel modelling'],
  weight: 7,
});
const healthcare = fam({
  name: 'healthcare',
  manager: 'Clinical Manager, {area}',
  director: 'Director of Clinical Services',
  basePayUsd: 82_000,
  hourlyShare: 0.45,
  soft: ['empathy', 'teamwork under pressure', 'patient communication', 'shift work'],
  weight: 8,
});
const people = fam({
  name: 'people',
  manager: 'People Manager, {area}',
  director: 'Director of People',
  basePayUsd: 80_000,
  hourlyShare: 0.05,
  soft: ['discretion', 'coaching', 'employment law awareness', 'conflict resolution'],
  weight: 2,
});

const role = (
  title: string,
  area: string,
  family: Family,
  skills: readonly string[],
  payFactor?: number,
): Role =>
  payFactor === undefined ? { title, area, family, skills } : { title, area, family, skills, payFactor };

// A data table reads best one role per line.
// prettier-ignore
export const ROLES: readonly Role[] = [
  role('Backend Engineer', 'Backend', engineering, ['TypeScript', 'Node.js', 'Go', 'Java', 'Kotlin', 'Python', 'PostgreSQL', 'MySQL', 'Redis', 'Kafka', 'gRPC', 'REST APIs', 'Docker', 'Kubernetes', 'AWS', 'distributed systems', 'microservices', 'event-driven architecture']),
  role('Frontend Engineer', 'Web', engineering, ['TypeScript', 'JavaScript', 'React', 'Vue.js', 'Angular', 'CSS', 'accessibility (WCAG)', 'Next.js', 'GraphQL', 'web performance', 'Playwright', 'design systems']),
  role('Full-Stack Engineer', 'Product Engineering', engineering, ['TypeScript', 'React', 'Node.js', 'PostgreSQL', 'Ruby on Rails', 'Python', 'Django', 'GraphQL', 'AWS', 'CI/CD', 'testing']),
  role('iOS Engineer', 'Mobile', engineering, ['Swift', 'SwiftUI', 'UIKit', 'Objective-C', 'Xcode', 'Core Data', 'App Store releases', 'Combine']),
  role('Android Engineer', 'Mobile', engineering, ['Kotlin', 'Jetpack Compose', 'Java', 'Android SDK', 'Gradle', 'Coroutines', 'Play Store releases']),
  role('Site Reliability Engineer', 'Reliability', engineering, ['Kubernetes', 'Terraform', 'Prometheus', 'Grafana', 'Linux', 'Go', 'incident response', 'SLOs', 'AWS', 'GCP', 'distributed systems']),
  role('DevOps Engineer', 'Infrastructure', engineering, ['Docker', 'Kubernetes', 'Terraform', 'Ansible', 'GitHub Actions', 'Jenkins', 'AWS', 'Azure', 'Bash', 'Linux']),
  role('Platform Engineer', 'Platform', engineering, ['Kubernetes', 'Go', 'Terraform', 'service mesh', 'developer tooling', 'PostgreSQL', 'Kafka', 'observability']),
  role('Security Engineer', 'Security', engineering, ['threat modelling', 'penetration testing', 'OWASP', 'IAM', 'cloud security', 'SIEM', 'Python', 'incident response'], 1.05),
  role('Embedded Software Engineer', 'Firmware', engineering, ['C', 'C++', 'RTOS', 'ARM Cortex-M', 'CAN bus', 'Yocto', 'oscilloscopes', 'MISRA C']),
  role('QA Automation Engineer', 'Quality', engineering, ['Cypress', 'Playwright', 'Selenium', 'Java', 'TypeScript', 'test strategy', 'API testing', 'CI/CD'], 0.85),
  role('Game Developer', 'Games', engineering, ['C++', 'C#', 'Unity', 'Unreal Engine', 'gameplay programming', 'shaders', 'profiling'], 0.85),
  role('Cloud Architect', 'Cloud', engineering, ['AWS', 'Azure', 'GCP', 'Terraform', 'network design', 'cost optimisation', 'security architecture'], 1.1),
  role('Data Engineer', 'Data Platform', data, ['Python', 'SQL', 'Spark', 'Airflow', 'dbt', 'Kafka', 'Snowflake', 'BigQuery', 'PostgreSQL', 'data modelling']),
  role('Data Scientist', 'Data Science', data, ['Python', 'R', 'SQL', 'statistics', 'A/B testing', 'scikit-learn', 'causal inference', 'pandas']),
  role('Machine Learning Engineer', 'Machine Learning', data, ['Python', 'PyTorch', 'TensorFlow', 'MLOps', 'Kubernetes', 'feature stores', 'LLMs', 'model evaluation'], 1.1),
  role('Data Analyst', 'Analytics', data, ['SQL', 'Excel', 'Tableau', 'Looker', 'Power BI', 'Python', 'dashboarding'], 0.7),
  role('Analytics Engineer', 'Analytics', data, ['dbt', 'SQL', 'Snowflake', 'BigQuery', 'data modelling', 'Looker', 'Git'], 0.9),
  role('Product Designer', 'Product Design', design, ['Figma', 'prototyping', 'interaction design', 'design systems', 'user research', 'accessibility']),
  role('UX Researcher', 'Research', design, ['usability testing', 'interviews', 'survey design', 'Dovetail', 'mixed methods', 'synthesis']),
  role('UI Designer', 'Visual Design', design, ['Figma', 'typography', 'visual design', 'iconography', 'motion design'], 0.9),
  role('Graphic Designer', 'Brand', design, ['Adobe Illustrator', 'Photoshop', 'InDesign', 'print production', 'branding'], 0.7),
  role('Product Manager', 'Core Product', product, ['roadmapping', 'user stories', 'OKRs', 'analytics', 'Jira', 'product discovery', 'SQL']),
  role('Technical Product Manager', 'Platform', product, ['APIs', 'system design', 'roadmapping', 'developer experience', 'SQL', 'Jira']),
  role('Product Owner', 'Delivery', product, ['Scrum', 'backlog management', 'Jira', 'acceptance criteria', 'stakeholder alignment'], 0.8),
  role('Customer Support Specialist', 'Support', operations, ['Zendesk', 'Intercom', 'ticket triage', 'written English', 'CRM tools'], 0.8),
  role('Logistics Coordinator', 'Logistics', operations, ['SAP', 'shipping documentation', 'route planning', 'Excel', 'customs'], 0.9),
  role('Supply Chain Analyst', 'Supply Chain', operations, ['demand planning', 'SQL', 'Excel', 'SAP', 'inventory optimisation'], 1.2),
  role('Warehouse Associate', 'Fulfilment', operations, ['forklift licence', 'inventory scanning', 'health and safety', 'picking and packing'], 0.6),
  role('Project Coordinator', 'PMO', operations, ['MS Project', 'scheduling', 'risk logs', 'Confluence', 'budget tracking'], 1.0),
  role('Account Executive', 'Mid-Market', sales, ['Salesforce', 'SaaS sales', 'MEDDICC', 'pipeline management', 'negotiation', 'HubSpot']),
  role('Sales Development Representative', 'Outbound', sales, ['cold calling', 'Salesforce', 'Outreach', 'LinkedIn Sales Navigator', 'prospecting'], 0.65),
  role('Customer Success Specialist', 'Customer Success', sales, ['onboarding', 'renewals', 'Gainsight', 'QBRs', 'churn analysis'], 0.9),
  role('Solutions Engineer', 'Pre-Sales', sales, ['product demos', 'APIs', 'SQL', 'technical discovery', 'proof of concepts', 'Python'], 1.35),
  role('Content Marketing Specialist', 'Content', marketing, ['SEO', 'copywriting', 'WordPress', 'editorial calendars', 'Google Analytics']),
  role('Performance Marketing Specialist', 'Growth', marketing, ['Google Ads', 'Meta Ads', 'attribution', 'SQL', 'landing page testing']),
  role('Product Marketing Specialist', 'Product Marketing', marketing, ['positioning', 'launch planning', 'competitive analysis', 'messaging'], 1.15),
  role('SEO Specialist', 'Organic Growth', marketing, ['technical SEO', 'Ahrefs', 'Search Console', 'content strategy', 'HTML'], 0.9),
  role('Financial Analyst', 'FP&A', finance, ['financial modelling', 'Excel', 'forecasting', 'SQL', 'variance analysis', 'Anaplan']),
  role('Accountant', 'Accounting', finance, ['IFRS', 'US GAAP', 'month-end close', 'reconciliations', 'SAP', 'DATEV', 'VAT'], 0.85),
  role('Controller', 'Controlling', finance, ['management reporting', 'IFRS', 'budgeting', 'SAP', 'audit preparation'], 1.15),
  role('Payroll Specialist', 'Payroll', finance, ['payroll processing', 'ADP', 'tax compliance', 'Excel'], 0.75),
  role('Registered Nurse', 'Nursing', healthcare, ['BLS', 'ACLS', 'patient assessment', 'medication administration', 'EHR systems', 'wound care']),
  role('Physiotherapist', 'Rehabilitation', healthcare, ['manual therapy', 'exercise prescription', 'sports rehabilitation', 'neurological rehab'], 0.95),
  role('Pharmacist', 'Pharmacy', healthcare, ['dispensing', 'medication reviews', 'clinical pharmacy', 'controlled drugs'], 1.45),
  role('Medical Laboratory Technician', 'Laboratory', healthcare, ['phlebotomy', 'haematology', 'quality control', 'LIMS', 'microbiology'], 0.75),
  role('General Practitioner', 'Primary Care', healthcare, ['medical licence', 'chronic disease management', 'telemedicine', 'EHR systems'], 2.6),
  role('Care Assistant', 'Elderly Care', healthcare, ['personal care', 'first aid', 'dementia care', 'care plans'], 0.45),
  role('Recruiter', 'Talent Acquisition', people, ['sourcing', 'Greenhouse', 'Workday', 'interviewing', 'employer branding']),
  role('HR Business Partner', 'HR', people, ['employee relations', 'performance management', 'labour law', 'Workday', 'change management'], 1.2),
];

/** Roles posted more often than the rest of their family (default 1): backend work dominates engineering feeds. */
export const ROLE_FREQUENCY: Readonly<Record<string, number>> = {
  'Backend Engineer': 3,
  'Full-Stack Engineer': 1.5,
  'Frontend Engineer': 1.5,
  'Platform Engineer': 1.5,
};

/** Relative frequency of each seniority in the generated population. */
export const SENIORITY_WEIGHTS: Readonly<Record<Seniority, number>> = {
  intern: 4,
  junior: 12,
  mid: 27,
  senior: 27,
  staff: 5,
  principal: 3,
  lead: 9,
  manager: 8,
  director: 5,
};

/** Pay multiplier versus a mid-level role. */
export const SENIORITY_PAY: Readonly<Record<Seniority, number>> = {
  intern: 0.35,
  junior: 0.72,
  mid: 1,
  senior: 1.3,
  staff: 1.6,
  principal: 1.85,
  lead: 1.45,
  manager: 1.55,
  director: 2.1,
};

export function titleFor(r: Role, seniority: Seniority): string {
  switch (seniority) {
    case 'intern':
      return `${r.title} Intern`;
    case 'junior':
      return `Junior ${r.title}`;
    case 'mid':
      return r.title;
    case 'senior':
      return `Senior ${r.title}`;
    case 'staff':
      return `Staff ${r.title}`;
    case 'principal':
      return `Principal ${r.title}`;
    case 'lead':
      return `Lead ${r.title}`;
    case 'manager':
      return r.family.manager.replace('{area}', r.area);
    case 'director':
      return `${r.family.director}, ${r.area}`;
  }
}
