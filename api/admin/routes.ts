/** User administration, units, one-stop picking, signing delegations and the public address check. */
import type { RouteSpec } from '../route';
import { assignmentRoutes } from './assignments';
import { delegationCandidatesRoute } from './delegationCandidates';
import { delegationRoutes } from './delegations';
import { exportRoutes } from './export';
import { publicAddressRoutes } from './publicAddress';
import { unitRoutes } from './units';
import { userSearchRoutes } from './userSearch';
import { userWriteRoutes } from './userWrite';
import { workflowResetRoutes } from './workflowReset';

// The export comes before '/api/admin/users/:id', which would otherwise take "export" for an id.
export const adminRoutes: RouteSpec[] = [
  ...exportRoutes,
  ...userSearchRoutes,
  ...userWriteRoutes,
  ...assignmentRoutes,
  ...unitRoutes,
  ...delegationRoutes,
  delegationCandidatesRoute,
  ...publicAddressRoutes,
  ...workflowResetRoutes,
];
