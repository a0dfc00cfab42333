/**
 * Places listings are posted for, with the local currency, a pay level relative to the US,
 * which languages local listings are written in, and how pay is usually quoted there.
 */
export interface Place {
  name: string;
  currency: string;
  /** Local pay relative to US pay for the same job (already in USD terms). */
  payLevel: number;
  /** Languages of listings here, with weights. */
  languages: ReadonlyArray<readonly [string, number]>;
  /** Share of salaried listings quoting a monthly figure (common in PL, PT, BR, MX, ...). */
  monthlyShare: number;
  /** Whether hourly rates are customary for hourly-paid roles here. */
  hourlyCustom: boolean;
  /** Fully remote listings: the remote flag is always true. */
  remoteOnly?: boolean;
}

/** Units of local currency per USD; fixed so the feed never depends on the day's rates. */
export const USD_RATE: Readonly<Record<string, number>> = {
  USD: 1,
  EUR: 0.92,
  GBP: 0.79,
  CHF: 0.88,
  PLN: 4,
  CZK: 23,
  SEK: 10.5,
  DKK: 6.9,
  JPY: 150,
  CAD: 1.36,
  AUD: 1.5,
  BRL: 5,
  MXN: 17,
  INR: 83,
  SGD: 1.34,
};

const place = (
  name: string,
  currency: string,
  payLevel: number,
  languages: ReadonlyArray<readonly [string, number]>,
  monthlyShare = 0,
  hourlyCustom = false,
  remoteOnly = false,
): Place =>
  remoteOnly
    ? { name, currency, payLevel, languages, monthlyShare, hourlyCustom, remoteOnly }
    : { name, currency, payLevel, languages, monthlyShare, hourlyCustom };

// A data table reads best one place per line.
// prettier-ignore
export const PLACES: readonly Place[] = [
  place('New York, NY, USA', 'USD', 1.1, [['en', 1]], 0, true),
  place('San Francisco, CA, USA', 'USD', 1.2, [['en', 1]], 0, true),
  place('Austin, TX, USA', 'USD', 0.95, [['en', 1]], 0, true),
  place('Seattle, WA, USA', 'USD', 1.1, [['en', 1]], 0, true),
  place('Chicago, IL, USA', 'USD', 0.95, [['en', 1]], 0, true),
  place('Toronto, Canada', 'CAD', 0.75, [['en', 1]], 0, true),
  place('Montréal, Canada', 'CAD', 0.7, [['fr', 0.5], ['en', 0.5]], 0, true),
  place('London, United Kingdom', 'GBP', 0.8, [['en', 1]], 0, true),
  place('Manchester, United Kingdom', 'GBP', 0.65, [['en', 1]], 0, true),
  place('Dublin, Ireland', 'EUR', 0.75, [['en', 1]]),
  place('Berlin, Germany', 'EUR', 0.65, [['de', 0.45], ['en', 0.55]]),
  place('Munich, Germany', 'EUR', 0.72, [['de', 0.6], ['en', 0.4]]),
  place('Hamburg, Germany', 'EUR', 0.66, [['de', 0.65], ['en', 0.35]]),
  place('Vienna, Austria', 'EUR', 0.6, [['de', 0.7], ['en', 0.3]], 0.2),
  place('Zurich, Switzerland', 'CHF', 1.05, [['de', 0.5], ['en', 0.4], ['fr', 0.1]]),
  place('Paris, France', 'EUR', 0.58, [['fr', 0.65], ['en', 0.35]]),
  place('Lyon, France', 'EUR', 0.5, [['fr', 0.85], ['en', 0.15]]),
  place('Brussels, Belgium', 'EUR', 0.6, [['fr', 0.4], ['nl', 0.3], ['en', 0.3]], 0.2),
  place('Amsterdam, Netherlands', 'EUR', 0.68, [['en', 0.6], ['nl', 0.4]], 0.3),
  place('Rotterdam, Netherlands', 'EUR', 0.6, [['nl', 0.6], ['en', 0.4]], 0.4),
  place('Madrid, Spain', 'EUR', 0.45, [['es', 0.7], ['en', 0.3]], 0.2),
  place('Barcelona, Spain', 'EUR', 0.47, [['es', 0.6], ['en', 0.4]], 0.2),
  place('Lisbon, Portugal', 'EUR', 0.38, [['pt', 0.55], ['en', 0.45]], 0.6),
  place('Porto, Portugal', 'EUR', 0.34, [['pt', 0.7], ['en', 0.3]], 0.7),
  place('Milan, Italy', 'EUR', 0.45, [['it', 0.7], ['en', 0.3]], 0.3),
  place('Rome, Italy', 'EUR', 0.4, [['it', 0.85], ['en', 0.15]], 0.4),
  place('Warsaw, Poland', 'PLN', 0.35, [['pl', 0.55], ['en', 0.45]], 0.8),
  place('Kraków, Poland', 'PLN', 0.32, [['pl', 0.6], ['en', 0.4]], 0.8),
  place('Prague, Czechia', 'CZK', 0.33, [['en', 1]], 0.8),
  place('Stockholm, Sweden', 'SEK', 0.6, [['en', 1]], 0.7),
  place('Copenhagen, Denmark', 'DKK', 0.7, [['en', 1]], 0.6),
  place('Tokyo, Japan', 'JPY', 0.55, [['ja', 0.75], ['en', 0.25]], 0.1),
  place('Osaka, Japan', 'JPY', 0.48, [['ja', 0.9], ['en', 0.1]], 0.1),
  place('Singapore', 'SGD', 0.75, [['en', 1]], 0.5),
  place('Sydney, Australia', 'AUD', 0.78, [['en', 1]], 0, true),
  place('Bangalore, India', 'INR', 0.22, [['en', 1]], 0.3),
  place('São Paulo, Brazil', 'BRL', 0.3, [['pt', 0.85], ['en', 0.15]], 0.9),
  place('Mexico City, Mexico', 'MXN', 0.3, [['es', 0.85], ['en', 0.15]], 0.9),
  place('Buenos Aires, Argentina', 'USD', 0.3, [['es', 0.8], ['en', 0.2]], 0.6),
  place('Remote (EU)', 'EUR', 0.62, [['en', 0.85], ['de', 0.1], ['fr', 0.05]], 0, false, true),
  place('Remote (Germany)', 'EUR', 0.65, [['de', 0.6], ['en', 0.4]], 0, false, true),
  place('Remote (US)', 'USD', 1, [['en', 1]], 0, true, true),
  place('Remote (Worldwide)', 'USD', 0.7, [['en', 1]], 0, false, true),
  place('Remote (Europe, CET ±2h)', 'EUR', 0.6, [['en', 1]], 0, false, true),
];

/**
 * How often each place appears relative to the rest (default 1). The feed leans toward the
 * European tech hubs and EU-remote roles, as a feed bought for a European candidate would, so
 * that `defaultCriteria` finds strong matches as well as many misses.
 */
export const PLACE_WEIGHTS: Readonly<Record<string, number>> = {
  'Berlin, Germany': 4,
  'Remote (EU)': 3,
  'Remote (Europe, CET ±2h)': 2,
  'Remote (Germany)': 2,
  'Munich, Germany': 2,
  'Amsterdam, Netherlands': 2,
  'London, United Kingdom': 2,
  'Hamburg, Germany': 1.5,
};
