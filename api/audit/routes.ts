import type { RouteSpec } from '../route';

export const auditRoutes: RouteSpec[] = [];
