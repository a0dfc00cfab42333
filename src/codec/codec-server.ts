import { z } from 'zod';
import { AesGcmCodec } from './aes-gcm-codec';
import { createCodecServer } from './codec-http';
import { parseCodecKeys } from './keys';

/**
 * The Codec Server for the Temporal Web UI and CLI: `npx tsx src/codec/codec-server.ts`.
 * It holds the same keys as the workers, so run it only where those keys may be, and keep it
 * off public networks (or set SCORELINE_CODEC_AUTH): whoever reaches /decode reads payloads.
 */
const envSchema = z.object({
  SCORELINE_CODEC_KEYS: z.string().optional(),
  SCORELINE_CODEC_HOST: z.string().min(1).default('127.0.0.1'),
  SCORELINE_CODEC_PORT: z.coerce.number().int().min(0).max(65535).default(8888),
  /** Comma-separated browser origins of the Web UI; the compose stack's UI is on :8080. */
  SCORELINE_CODEC_CORS_ORIGINS: z.string().min(1).default('http://localhost:8080,http://127.0.0.1:8080'),
  /** Exact `Authorization` value required on every request, e.g. `Bearer <token>`. */
  SCORELINE_CODEC_AUTH: z.string().min(1).optional(),
});

async function main(): Promise<void> {
  const parsed = envSchema.safeParse(process.env);
  if (!parsed.success) {
    throw new Error(
      `invalid configuration: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
    );
  }
  const env = parsed.data;
  const keyring = parseCodecKeys(env.SCORELINE_CODEC_KEYS);
  const server = createCodecServer({
    codec: new AesGcmCodec(keyring),
    allowedOrigins: env.SCORELINE_CODEC_CORS_ORIGINS.split(',').map((o) => o.trim()),
    authorization: env.SCORELINE_CODEC_AUTH,
    onError: (err) => console.error('codec server error:', err),
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(env.SCORELINE_CODEC_PORT, env.SCORELINE_CODEC_HOST, resolve);
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : env.SCORELINE_CODEC_PORT;
  console.log(
    `codec server on http://${env.SCORELINE_CODEC_HOST}:${port} (encrypting with key '${keyring.currentKeyId}', ` +
      `${keyring.keys.size} key(s) can decrypt; auth ${env.SCORELINE_CODEC_AUTH ? 'on' : 'off'})`,
  );
  // Containers stop with SIGTERM: close cleanly so `docker compose stop` does not wait 10 s.
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => server.close(() => process.exit(0)));
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
