import type { RouteSpec } from '../route';

export const adminRoutes: RouteSpec[] = [];
