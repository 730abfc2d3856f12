/** Entry point of the engine launcher (`bin/temporal-engine`). */
import * as path from 'node:path';
import { startEmbeddedPostgres, type EmbeddedPostgres } from '../db/embeddedPostgres';
import { parseLaunchArgs, UsageError } from './cli';
import { startEngineServer } from './server';

async function main(): Promise<void> {
  let options;
  try {
    options = parseLaunchArgs(process.argv.slice(2));
  } catch (err) {
    if (err instanceof UsageError) {
      process.stderr.write(`temporal-engine: ${err.message}\n`);
      process.exit(2);
    }
    throw err;
  }
  for (const w of options.warnings) process.stderr.write(`temporal-engine: ${w}\n`);
  let databaseUrl = options.dbUrl;
  let embedded: EmbeddedPostgres | undefined;
  if (!databaseUrl && options.dbFilename) {
    embedded = await startEmbeddedPostgres({ dataDir: `${path.resolve(options.dbFilename)}.pgdata`, database: 'temporal' });
    databaseUrl = embedded.url;
  }
  const running = await startEngineServer({
    databaseUrl,
    host: options.host,
    port: options.port,
    timeSkipping: options.timeSkipping,
    namespaces: options.namespaces,
    searchAttributes: options.searchAttributes,
    logLevel: options.logLevel,
  });
  const shutdown = (signal: string) => {
    process.stderr.write(`temporal-engine: ${signal}, shutting down\n`);
    running
      .stop()
      .then(() => embedded?.stop())
      .then(
        () => process.exit(0),
        () => process.exit(1),
      );
  };
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  process.once('SIGINT', () => shutdown('SIGINT'));
  process.stderr.write(`temporal-engine listening on ${running.address}\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`temporal-engine failed to start: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
