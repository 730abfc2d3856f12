/**
 * Command-line arguments of the engine launcher. It accepts both shapes `@temporalio/testing`
 * uses, so the SDK's own test environments can start it as their server:
 *   time-skipping test server:  <port> [extra args]
 *   dev server:                 server start-dev --port P --ip A --namespace N [--db-filename F]
 *                               [--headless | --ui-port N] [--search-attribute name=Type]...
 *                               [--log-format F] [--log-level L] [--dynamic-config-value K=V]...
 * Our own scripts use the dev-server shape, plus --time-skipping and --db-url <postgres url>.
 * Persistence: --db-url (or ENGINE_DATABASE_URL) stores state in that PostgreSQL; --db-filename F
 * keeps it in an embedded PostgreSQL whose data directory is F.pgdata; neither = in memory.
 */
import { parseSearchAttributeType, type SearchAttributeTypeName } from './namespaces';
import { parseLogLevel, type LogLevel } from './logger';

export interface LaunchOptions {
  port: number;
  host: string;
  timeSkipping: boolean;
  namespaces: string[];
  searchAttributes: Record<string, SearchAttributeTypeName>;
  logLevel: LogLevel;
  /** Where the dev server would keep its database; selects persistence (an embedded PostgreSQL next to it). */
  dbFilename?: string;
  /** PostgreSQL URL for the durable store (also ENGINE_DATABASE_URL). */
  dbUrl?: string;
  warnings: string[];
}

export class UsageError extends Error {}

const VALUE_FLAGS = new Set(['--port', '--ip', '--namespace', '--db-filename', '--ui-port', '--search-attribute', '--log-format', '--log-level', '--dynamic-config-value', '--ui-ip', '--ui-public-path', '--sqlite-pragma', '--config', '--env']);

export function parseLaunchArgs(argv: string[]): LaunchOptions {
  const options: LaunchOptions = {
    port: 7233,
    host: '127.0.0.1',
    timeSkipping: false,
    namespaces: [],
    searchAttributes: {},
    logLevel: parseLogLevel(process.env.ENGINE_LOG_LEVEL, 'warn'),
    dbUrl: process.env.ENGINE_DATABASE_URL || undefined,
    warnings: [],
  };
  let args = [...argv];
  if (args.length > 0 && /^\d+$/.test(args[0])) {
    options.port = Number(args[0]);
    options.timeSkipping = true;
    args = args.slice(1);
  } else if (args[0] === 'server' && args[1] === 'start-dev') {
    args = args.slice(2);
  }
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    const [flag, inline] = arg.includes('=') && arg.startsWith('--') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    const value = (): string => {
      if (inline !== undefined) return inline;
      const v = args[++i];
      if (v === undefined) throw new UsageError(`${flag} needs a value`);
      return v;
    };
    switch (flag) {
      case '--port': {
        const port = Number(value());
        if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`invalid --port ${args[i]}`);
        options.port = port;
        break;
      }
      case '--ip':
        options.host = value();
        break;
      case '--namespace':
      case '-n':
        options.namespaces.push(value());
        break;
      case '--db-filename':
        options.dbFilename = value();
        break;
      case '--db-url':
        options.dbUrl = value();
        break;
      case '--search-attribute': {
        const spec = value();
        const [name, typeName] = spec.split('=');
        const type = parseSearchAttributeType(typeName ?? '');
        if (!name || !type) throw new UsageError(`invalid --search-attribute ${spec}: expected name=Type (Keyword, Text, Int, Double, Bool, Datetime, KeywordList)`);
        options.searchAttributes[name] = type;
        break;
      }
      case '--log-level':
        options.logLevel = parseLogLevel(value(), options.logLevel);
        break;
      case '--time-skipping':
        options.timeSkipping = true;
        break;
      case '--headless':
        break;
      default:
        if (VALUE_FLAGS.has(flag)) value();
        else options.warnings.push(`ignoring unknown argument ${arg}`);
    }
  }
  if (options.namespaces.length === 0) options.namespaces.push('default');
  return options;
}
