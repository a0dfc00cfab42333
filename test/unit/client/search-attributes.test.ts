import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config';
import {
  attributeGap,
  cliTypeName,
  decideAttributes,
  indexedValueType,
  isDevServer,
} from '../../../src/temporal/search-attributes';
import { searchAttributeKeys } from '../../../src/workflows/definitions';

const all = Object.fromEntries(searchAttributeKeys.map((k) => [k.name, indexedValueType(k.type)]));
const without = (...names: string[]) =>
  Object.fromEntries(Object.entries(all).filter(([name]) => !names.includes(name)));

describe('search attributes at start', () => {
  it('finds nothing missing in a namespace that has them all, and names the ones it lacks', () => {
    expect(attributeGap(all, searchAttributeKeys)).toEqual({ missing: [], wrongType: [] });
    const gap = attributeGap(without('RunDate', 'CostUsd'), searchAttributeKeys);
    expect(gap.missing.map((k) => k.name)).toEqual(['RunDate', 'CostUsd']);
  });

  it('reports an attribute registered with another type instead of counting it as present', () => {
    const gap = attributeGap({ ...all, RunDate: indexedValueType('TEXT') }, searchAttributeKeys);
    expect(gap.wrongType.map((w) => [w.key.name, w.actual])).toEqual([['RunDate', 'Text']]);
  });

  it('knows the dev server by the cluster info it gives: SQLite with one history shard', () => {
    expect(isDevServer({ persistenceStore: 'sqlite', historyShardCount: 1 })).toBe(true);
    expect(isDevServer({ persistenceStore: 'postgres12', historyShardCount: 512 })).toBe(false);
    expect(isDevServer({ persistenceStore: 'sqlite', historyShardCount: 4 })).toBe(false);
    // Temporal Cloud does not answer GetClusterInfo.
    expect(isDevServer(undefined)).toBe(false);
  });

  it('registers on a dev server in auto mode, and anywhere when told to register', () => {
    const gap = attributeGap(without('RunPhase'), searchAttributeKeys);
    const ns = 'default';
    expect(decideAttributes(gap, { mode: 'auto', devServer: true, namespace: ns })).toEqual({
      action: 'register',
      keys: [expect.objectContaining({ name: 'RunPhase' })],
    });
    expect(decideAttributes(gap, { mode: 'register', devServer: false, namespace: ns }).action).toBe(
      'register',
    );
    expect(
      decideAttributes(attributeGap(all, searchAttributeKeys), {
        mode: 'check',
        devServer: false,
        namespace: ns,
      }),
    ).toEqual({ action: 'ok' });
  });

  it('refuses elsewhere with the missing names and the exact command that adds them', () => {
    const gap = attributeGap(without('RunDate', 'DriftDetected'), searchAttributeKeys);
    const d = decideAttributes(gap, { mode: 'auto', devServer: false, namespace: 'scoring-prod' });
    expect(d.action).toBe('refuse');
    const message = d.action === 'refuse' ? d.message : '';
    expect(message).toContain('RunDate (Keyword), DriftDetected (Bool)');
    expect(message).toContain(
      'temporal operator search-attribute create --namespace scoring-prod --name RunDate --type Keyword --name DriftDetected --type Bool',
    );
    expect(message).toContain('deploy/temporal/setup-namespace.sh');
    expect(message).toContain('SCORELINE_SEARCH_ATTRIBUTES=register');
  });

  it('refuses even on a dev server when told only to check, and always for a wrong type', () => {
    const gap = attributeGap(without('ListingsTotal'), searchAttributeKeys);
    const checked = decideAttributes(gap, { mode: 'check', devServer: true, namespace: 'default' });
    expect(checked.action === 'refuse' && checked.message).toContain('SCORELINE_SEARCH_ATTRIBUTES=check');
    const wrong = attributeGap({ ...all, CostUsd: indexedValueType('INT') }, searchAttributeKeys);
    const d = decideAttributes(wrong, { mode: 'register', devServer: true, namespace: 'default' });
    expect(d.action === 'refuse' && d.message).toContain('CostUsd exists in namespace "default" as Int');
  });

  it('spells types the way the temporal CLI takes them', () => {
    expect(cliTypeName('KEYWORD_LIST')).toBe('KeywordList');
    expect(cliTypeName('DATETIME')).toBe('Datetime');
  });

  it('reads the mode from SCORELINE_SEARCH_ATTRIBUTES, auto by default, and rejects others', () => {
    expect(loadConfig({}).temporal.searchAttributes).toBe('auto');
    expect(loadConfig({ SCORELINE_SEARCH_ATTRIBUTES: 'check' }).temporal.searchAttributes).toBe('check');
    expect(() => loadConfig({ SCORELINE_SEARCH_ATTRIBUTES: 'yes' })).toThrow('SCORELINE_SEARCH_ATTRIBUTES');
  });
});
