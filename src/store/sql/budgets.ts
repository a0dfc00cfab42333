/** Statements on budgets both backends run as written (see placeholders.ts). */
export const BUDGET_SQL = {
  setLimit: `INSERT INTO budgets (scope, limit_pico) VALUES ($1, $2)
    ON CONFLICT (scope) DO UPDATE SET limit_pico = excluded.limit_pico`,
} as const;
