/** The Express application: every route of the API, assembled from its parts. */
import express, { type ErrorRequestHandler, type Express } from 'express';
import { adminRoutes } from './admin/routes';
import { auditRoutes } from './audit/routes';
import { authRoutes } from './auth/routes';
import { calendarRoutes } from './calendar/routes';
import { citizenRoutes } from './citizen/routes';
import { citizenAccountRoutes } from './citizenAccounts/routes';
import { caseRoutes } from './cases/routes';
import { devRoutes } from './dev/routes';
import type { AppContext } from './context';
import { docsRoutes } from './docs/routes';
import { escalationRoutes } from './escalation/routes';
import { notificationRoutes } from './notifications/routes';
import { documentRoutes } from './documents/routes';
import { errorHandler, routeNotFound, toApiError } from './errors';
import { recordAudit } from './audit/auditSpool';
import { refuseUnstorableText } from './input/storableText';
import { appointmentRoutes } from './appointments/routes';
import { supportRoutes } from './support/routes';
import { alertRoutes } from './alerts/routes';
import { apiCheckRoutes } from './apiCheck/routes';
import { apiEndpointRoutes } from './apiCheck/endpointRoutes';
import { landRoutes } from './land/routes';
import { fileRoutes } from './files/routes';
import { healthRouter, type HealthDeps } from './health';
import { mailRoutes } from './mail/routes';
import { pkiAdminRoutes } from './pki/routes';
import { reportRoutes } from './reports/routes';
import { buildRouter, type RouteSpec } from './route';
import { citizenConfigOf } from './citizen/services';
import { securityHeaders, trustProxyFromEnv } from './securityHeaders';
import { verifyRoutes } from './verify/routes';
import { supervisionRoutes } from './supervision/routes';
import { webRouter } from './webApp';

export type { HealthDeps } from './health';

/** Every declared route; the access-matrix test walks this list. */
export const ROUTES: readonly RouteSpec[] = [
  ...authRoutes,
  ...adminRoutes,
  ...calendarRoutes,
  ...auditRoutes,
  ...fileRoutes,
  ...caseRoutes,
  ...supervisionRoutes,
  ...documentRoutes,
  ...verifyRoutes,
  ...pkiAdminRoutes,
  ...mailRoutes,
  ...citizenRoutes,
  ...citizenAccountRoutes,
  ...reportRoutes,
  ...devRoutes,
  ...escalationRoutes,
  ...notificationRoutes,
  ...appointmentRoutes,
  ...supportRoutes,
  ...alertRoutes,
  ...apiCheckRoutes,
  ...apiEndpointRoutes,
  ...landRoutes,
  ...docsRoutes(() => ROUTES),
];

export function createApp(ctx: AppContext, health?: HealthDeps, web?: { dist?: string }): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', trustProxyFromEnv());
  app.use(securityHeaders({ connectTo: () => [new URL(citizenConfigOf(ctx).signerUrl).origin] }));
  app.use(express.json({ limit: '1mb' }));
  app.use(refuseUnstorableText);
  if (health) app.use(healthRouter(health));
  app.use(buildRouter(ROUTES, ctx));
  if (web) app.use(webRouter(web.dist));
  app.use('/api', routeNotFound);
  app.use(auditUnrouted(ctx));
  app.use(errorHandler());
  return app;
}

/**
 * A request that tried to change something but never reached a route — a body that is not JSON or
 * too large, an unknown address — is refused here, and still leaves its line in the audit trail
 * (routes audit their own calls).
 */
function auditUnrouted(ctx: AppContext): ErrorRequestHandler {
  return (err, req, _res, next) => {
    if (['GET', 'HEAD', 'OPTIONS'].includes(req.method)) return next(err);
    const failure = toApiError(err);
    recordAudit(ctx.db, ctx.auditSpool, {
      at: ctx.clock.now(),
      actorId: null,
      actorName: null,
      unitId: null,
      action: `${req.method} ${req.path}`,
      target: null,
      outcome: failure.status < 500 ? 'refused' : 'error',
      status: failure.status,
      details: { code: failure.code, contentType: req.headers['content-type'] ?? null },
      ip: req.ip ?? null,
    }).finally(() => next(err));
  };
}
