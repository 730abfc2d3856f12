/** Builds and runs the embedded engine: gRPC WorkflowService, OperatorService, TestService and health. */
import { EngineClock } from './clock';
import { Engine } from './engine';
import { GrpcServer } from './grpcServer';
import { createLogger, type LogLevel } from './logger';
import { DEV_SERVER_SEARCH_ATTRIBUTES, type SearchAttributeTypeName } from './namespaces';
import { operatorServiceHandlers } from './services/operatorService';
import { testServiceHandlers } from './services/testService';
import { workflowServiceHandlers } from './services/workflowService';
import { MemoryStore } from './store/memoryStore';
import type { EngineStore } from './store/store';
import { PostgresStore } from './store/postgresStore';
import { scheduleRetention } from './retention';
import { Schedules } from './schedules/scheduler';
import { scheduleHandlers } from './schedules/service';
import { resumeBatchOperations } from './batch/batchOperations';

export interface EngineServerOptions {
  host?: string;
  /** 0 picks a free port. */
  port?: number;
  /** Test-server mode: time skipping available, clock locked until a client unlocks it. */
  timeSkipping?: boolean;
  namespaces?: string[];
  searchAttributes?: Record<string, SearchAttributeTypeName>;
  logLevel?: LogLevel;
  store?: EngineStore;
  /** PostgreSQL for a durable store (its own schema); without it, and without `store`, state is in memory. */
  databaseUrl?: string;
  /** How often closed runs past retention are deleted (real time). Default 60 s. */
  retentionSweepMs?: number;
  longPollMs?: number;
}

export interface RunningEngine {
  engine: Engine;
  address: string;
  port: number;
  stop(): Promise<void>;
}

const MAX_MESSAGE_BYTES = 128 * 1024 * 1024;

export async function startEngineServer(options: EngineServerOptions = {}): Promise<RunningEngine> {
  const log = createLogger(options.logLevel ?? 'warn');
  const clock = new EngineClock({
    timeSkipping: !!options.timeSkipping,
    startLocked: true,
    onError: (err) => log.error('timer callback failed', err),
  });
  const store =
    options.store ??
    (options.databaseUrl ? new PostgresStore({ connectionString: options.databaseUrl, onError: (err) => log.warn(`database connection lost: ${err.message}`) }) : new MemoryStore());
  const engine = new Engine({
    store,
    clock,
    log,
    namespaces: options.namespaces ?? ['default'],
    defaultSearchAttributes: { ...DEV_SERVER_SEARCH_ATTRIBUTES, ...(options.searchAttributes ?? {}) },
    longPollMs: options.longPollMs,
  });
  await engine.start();
  const schedules = new Schedules(engine);
  engine.runClosedListeners.push((state) => schedules.onRunClosed(state));
  await schedules.start();
  await resumeBatchOperations(engine);
  const stopRetention = scheduleRetention(engine, options.retentionSweepMs ?? 60_000);

  const server = new GrpcServer(log, MAX_MESSAGE_BYTES);
  server.addService('temporal.api.workflowservice.v1.WorkflowService', { ...workflowServiceHandlers(engine), ...scheduleHandlers(schedules) });
  server.addService('temporal.api.operatorservice.v1.OperatorService', operatorServiceHandlers(engine));
  if (options.timeSkipping) server.addService('temporal.api.testservice.v1.TestService', testServiceHandlers(clock));
  server.addService('grpc.health.v1.Health', { Check: () => ({ status: 1 }) });

  const host = options.host ?? '127.0.0.1';
  const port = await server.listen(host, options.port ?? 0);
  log.info(`listening on ${host}:${port} (${options.timeSkipping ? 'time-skipping' : 'real time'}, ${engine.store.kind} store)`);

  let stopped: Promise<void> | undefined;
  return {
    engine,
    port,
    address: `${host}:${port}`,
    stop: () =>
      (stopped ??= (async () => {
        stopRetention();
        schedules.stop();
        await engine.stop();
        await server.close(2000);
      })()),
  };
}
