/** Entry point of the engine launcher (`bin/temporal-engine`). */
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
  if (options.dbFilename) {
    process.stderr.write(`temporal-engine: --db-filename ${options.dbFilename}: this build keeps state in memory\n`);
  }
  const running = await startEngineServer({
    host: options.host,
    port: options.port,
    timeSkipping: options.timeSkipping,
    namespaces: options.namespaces,
    searchAttributes: options.searchAttributes,
    logLevel: options.logLevel,
  });
  const shutdown = (signal: string) => {
    process.stderr.write(`temporal-engine: ${signal}, shutting down\n`);
    running.stop().then(
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
