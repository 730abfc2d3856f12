/** What the escalation screens read from the API (api/escalation/routes.ts, api/notifications/routes.ts). */
import type { EscalationRung } from '../../../../domain/escalation/ladder';

export type { EscalationRung, RungAudience, RungChannel, RungScope, RungTrigger } from '../../../../domain/escalation/ladder';

export interface LadderView {
  unit: { id: string; code: string; name: string };
  own: boolean;
  source: { unitId: string; code: string; name: string } | null;
  rungs: EscalationRung[];
  headOfficer: { id: string; fullName: string } | null;
  heads: Array<{ id: string; fullName: string }>;
  officers: Array<{ id: string; fullName: string; leader: boolean }>;
  updatedAt: string | null;
}

export interface OfficerNotification {
  id: string;
  caseCode: string | null;
  kind: string;
  title: string;
  body: string;
  createdAt: string;
  readAt: string | null;
}

export interface NotificationList {
  unread: number;
  items: OfficerNotification[];
}
