// The actions' part of the RPC contract: what sessions agreed to do, across all sessions.
import { z } from 'zod';
import { ACTION_STATUSES, recordId } from './domain';
import { returns } from './rpc-area';
import { isoDate } from './rpc-records';

export const ActionQuery = z.strictObject({
  status: z.enum(['open', 'overdue', 'done', 'all']).default('open'),
  /** Today's date on the user's device decides what is overdue. */
  today: isoDate,
  ownerId: recordId.optional(),
  offset: z.number().int().min(0).default(0),
  limit: z.number().int().min(1).max(500).default(100),
});

export interface ActionRow {
  sessionId: string;
  sessionTitle: string;
  sessionStartsAt: string;
  actionId: string;
  text: string;
  ownerId: string | null;
  ownerName: string | null;
  dueDate: string | null;
  status: (typeof ACTION_STATUSES)[number];
}

/** An action still to be done whose due date is before `today` (YYYY-MM-DD), as ActionQuery's `overdue` finds them. */
export function isOverdue(action: Pick<ActionRow, 'dueDate' | 'status'>, today: string): boolean {
  return action.dueDate !== null && action.dueDate < today && (action.status === 'open' || action.status === 'in-progress');
}

export const ACTION_RPC_METHODS = {
  /** Actions of active sessions; `ownerId` also finds actions owned by records merged into that contact. */
  'action.list': { params: ActionQuery, result: returns<{ rows: ActionRow[]; total: number }>() },
} as const;
