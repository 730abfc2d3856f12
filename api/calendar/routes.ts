import type { RouteSpec } from '../route';

export const calendarRoutes: RouteSpec[] = [];
