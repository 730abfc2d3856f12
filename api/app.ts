/** The Express application: every route of the API, assembled from its parts. */
import express, { type Express } from 'express';
import type { Client } from '@temporalio/client';
import type { Pool } from 'pg';
import type { TemporalTarget } from '../infra/temporalClient';
import { healthRouter } from './health';

export interface AppDeps {
  pool: Pool;
  client: Client;
  target: TemporalTarget;
  taskQueue: string;
}

export function createApp(deps: AppDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.use(express.json({ limit: '1mb' }));
  app.use(healthRouter(deps));
  return app;
}
