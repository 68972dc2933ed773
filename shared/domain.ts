// The ABCD data model, shared by the data service (which validates every write against
// it) and the renderer (which builds forms from it). Each record kind is described once in
// shared/kinds/<kind>.ts; this module gathers those with what every record carries.
import type { DataOf, RecordKind } from './kinds';

export * from './kinds';
export { ASSET_CATEGORIES, ASSET_CATEGORY_HELP, AssetFields, type AssetCategory } from './kinds/asset';
export {
  CONSENT_METHODS,
  CONTACT_ROLES,
  CONTACT_TYPES,
  Consent,
  ContactFields,
  ContactLawfulBasis,
  RetentionDecision,
  Skill,
  WITHDRAWAL_METHODS,
  type ContactRole,
} from './kinds/contact';
export { DATA_USES, DEFAULT_POLICY, LawfulBasis, POLICY_ID, PolicyFields, Purpose, WordingVersion, type DataUse, type PolicyData } from './kinds/policy';
export { CONNECTION_KINDS, ConnectionFields, type ConnectionKind } from './kinds/connection';
export { ACTION_STATUSES, Action, Priority, SESSION_TYPES, SessionFields, namedPeople, type SessionType } from './kinds/session';
export { LIMITS, Location, recordId } from './kinds/field-types';

/** Themes offered as suggestions; workers may add their own. */
export const SUGGESTED_THEMES = [
  'loneliness',
  'food',
  'arts',
  'dementia',
  'cancer prevention',
  'workplace wellbeing',
  'mental health',
  'physical activity',
  'young people',
  'older people',
  'housing',
  'employment',
  'environment',
  'digital inclusion',
] as const;

export type AssetData = DataOf<'asset'>;
export type ContactData = DataOf<'contact'>;
export type ConnectionData = DataOf<'connection'>;
export type SessionData = DataOf<'session'>;

// ---------------------------------------------------------------- stored records

export interface Author {
  id: string;
  name: string;
}

/**
 * A field whose value, as merged from the team's devices, the schema refuses: the record
 * stays listed, the field shows what it holds (as text where it is text), and a lead fixes it.
 */
export interface FieldProblem {
  field: string;
  /** What the field holds, as JSON text (shortened). */
  holds: string;
  message: string;
}

/** Bookkeeping every record carries, whatever its kind. */
export interface RecordMeta {
  id: string;
  kind: RecordKind;
  createdAt: string;
  createdBy: Author;
  updatedAt: string;
  updatedBy: Author;
  deletedAt: string | null;
  deletedBy: Author | null;
  mergedInto: string | null;
  /** Fields holding values the schema refuses (see FieldProblem); absent when there are none. */
  problems?: FieldProblem[];
}

/** A stored record; distributes over a union of kinds, so RecordOf<RecordKind> is AnyRecord. */
export type RecordOf<K extends RecordKind> = K extends RecordKind ? RecordMeta & { kind: K; data: DataOf<K> } : never;
export type AnyRecord = RecordOf<RecordKind>;
