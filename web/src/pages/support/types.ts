/** The answers of the support-request endpoints (/api/support/…), as the screens read them. */
import type { SupportView } from '../../../../workflows/supportRequest/types';

export type { SupportView };
export type { SupportStatus } from '../../../../domain/support/support';

export interface SupportCatalog {
  groups: Array<{ code: string; name: string; services: string[] }>;
  statuses: Array<{ code: string; name: string }>;
  workingHours: number;
  attachments: { extensions: string[]; maxBytes: number; maxFiles: number };
}

export interface SupportListItem {
  code: string;
  title: string;
  requester: string;
  requestedAt: string;
  status: string;
  statusVi: string;
  unit: string;
  serviceGroup: string;
  handler: string | null;
  dueAt: string | null;
  late: boolean;
}

export interface SupportList {
  total: number;
  page: number;
  pageSize: number;
  items: SupportListItem[];
}

export interface SupportEvent {
  seq: number;
  at: string;
  kind: string;
  data: Record<string, unknown> & { by?: { officerId: string; fullName: string } };
}

export interface SupportDetailAnswer {
  request: SupportView;
  events: SupportEvent[];
}

export interface StoredAttachment {
  fileId: string;
  mimeType: string;
  bytes: number;
  originalName?: string;
}
