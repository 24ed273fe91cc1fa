/** `switchyard serve`: start the gateway and stop it cleanly on SIGINT/SIGTERM. */
import { pino } from 'pino';
import { createGateway } from '../gateway.js';
import { createBatchedStdout } from './log-destination.js';
import { buildServer } from '../http/server.js';
import { resolveConfig, type ResolveOptions } from './resolve-config.js';
import { drainAndClose } from './shutdown.js';

export async function runServe(options: ResolveOptions): Promise<void> {
  const { config, source, found } = await resolveConfig(options);
  // Log lines are built field by field (no headers, no bodies) and messages pass the redactor,
  // so no path-based redaction is needed. Writes are buffered off the request path.
  const destination = createBatchedStdout();
  const logger = pino({ level: config.server.log_level }, destination);
  const gateway = await createGateway(config, { logger });
  const app = buildServer(gateway);
  const address = await app.listen({ host: config.server.host, port: config.server.port });
  const say = (line: string): void => void process.stderr.write(`${line}\n`);
  // Handlers first: a supervisor may send SIGTERM as soon as it reads the "listening" line.
  let stopping = false;
  const stop = async (signal: string): Promise<void> => {
    if (stopping) return;
    stopping = true;
    say(`Received ${signal}: finishing in-flight requests…`);
    const { drained } = await drainAndClose({ app, gateway, drainTimeoutMs: config.server.drain_timeout_ms });
    if (!drained) say(`Drain timeout (${config.server.drain_timeout_ms} ms): cut the requests still in flight.`);
    destination.flushSync();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop('SIGINT'));
  process.once('SIGTERM', () => void stop('SIGTERM'));

  say(`Switchyard listening on ${address}  (config: ${source})`);
  say(`  data: ${gateway.store.location}`);
  say(`  master key: ${gateway.masterKeySource}`);
  if (found.length === 0) say('  providers: none found — set OPENAI_API_KEY (or another provider key), write a config file, or try --demo');
  else for (const line of found) say(`  provider: ${line}`);
}
