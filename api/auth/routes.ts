import type { RouteSpec } from '../route';

export const authRoutes: RouteSpec[] = [];
