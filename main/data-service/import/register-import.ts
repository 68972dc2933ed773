// Importing an attendance register as one batch: its sessions created a chunk per
// transaction, each attendee linked to the contact already here that the duplicate finder
// matches, or to one created (with the batch's consent) the first time the register names
// them. Undo is the batch's, as for contacts (record-import.ts).
import { randomUUID } from 'node:crypto';
import type { CreateInput } from '../../../shared/domain';
import { RpcError } from '../../../shared/rpc';
import type { ImportBasis, ImportBatch, ImportPreview, RegisterDefaults, RegisterTarget } from '../../../shared/rpc-import';
import { findLikelyMatches } from '../duplicates';
import { newRecordId } from '../record-id';
import type { Workspace } from '../workspace';
import { checkTargets, RecordImports, resolveBasis, withBatchBasis, type OpenedFile } from './record-import';
import { readRegister, type RegisterPlan } from './register-mapping';

/** Sessions written per transaction. */
const CHUNK_SESSIONS = 50;

export function registerPlan(file: OpenedFile, targets: RegisterTarget[], defaults: RegisterDefaults | null): RegisterPlan {
  checkTargets(file, targets);
  if (!defaults) throw RpcError.invalid([{ field: 'register', message: 'is required for a register: the sessions’ title, type, venue and time where the columns do not say' }]);
  return readRegister(file.headers, targets, file.rows, defaults);
}

const PREVIEW_SESSIONS = 20;

/** A register's sessions as they will be stored (the first of them), and every row's problems. */
export function previewRegister(file: OpenedFile, targets: RegisterTarget[], defaults: RegisterDefaults | null): ImportPreview {
  const plan = registerPlan(file, targets, defaults);
  return {
    rows: plan.sessions.slice(0, PREVIEW_SESSIONS).map((s) => ({
      line: s.line,
      data: { title: s.title, type: s.type, startsAt: s.startsAt, venue: s.venue, attendees: s.people.map((line) => plan.people.get(line)!.name).join(', ') },
      problems: [],
    })),
    problems: plan.problems,
    problemRows: plan.problems.length,
    importable: plan.sessions.length,
    unreadable: plan.problems.filter((p) => p.problems.some((text) => /has no date|is not a date/.test(text))).length,
  };
}

export class RegisterImports {
  private readonly batches: RecordImports;

  constructor(private readonly ws: Workspace) {
    this.batches = new RecordImports(ws);
  }

  start(file: OpenedFile, options: { targets: RegisterTarget[]; register: RegisterDefaults | null; basis: ImportBasis | null }): ImportBatch {
    if (!options.basis) throw RpcError.invalid([{ field: 'basis.statement', message: 'is required: say on what basis the people new to the workspace are recorded' }]);
    const plan = registerPlan(file, options.targets, options.register);
    const id = randomUUID();
    this.ws.imports.create({
      id,
      kind: 'register',
      fileName: file.fileName,
      sha256: file.sha256,
      settings: { targets: options.targets, category: null, register: options.register, basis: resolveBasis(options.basis, this.ws.records.policy()), plan: {} },
      total: plan.sessions.length,
      startedAt: new Date().toISOString(),
    });
    return this.batches.summary(id);
  }

  /** Create the next chunk of sessions, and the people at them not yet here, in one transaction. */
  step(file: OpenedFile, batchId: string): ImportBatch {
    const batch = this.batches.resumable(file, batchId);
    const { targets, register, basis } = batch.settings;
    const plan = registerPlan(file, targets as RegisterTarget[], register ?? null);
    const chunk = plan.sessions.slice(batch.done, batch.done + CHUNK_SESSIONS);
    const end = batch.done + chunk.length;
    this.ws.transaction(() => {
      // People this batch already created, by the line they were read from.
      const created = new Map(this.ws.imports.records(batchId).filter((r) => this.ws.docKind(r.recordId) === 'contact').map((r) => [r.line, r.recordId]));
      const contactFor = (line: number): string => {
        const known = created.get(line);
        if (known) return this.ws.resolveId(known);
        const draft = plan.people.get(line)!;
        const [match] = findLikelyMatches(this.ws, 'contact', draft, { limit: 1 });
        if (match) return match.record.id;
        const id = newRecordId();
        this.ws.createMany('contact', [{ id, data: withBatchBasis(draft, basis!) }]);
        this.ws.imports.addRecord(batchId, line, id, 'created');
        created.set(line, id);
        return id;
      };
      for (const session of chunk) {
        const attendeeIds = [...new Set(session.people.map(contactFor))];
        const venue = session.venue ? findLikelyMatches(this.ws, 'asset', { name: session.venue }, { limit: 1 })[0] : undefined;
        const data: CreateInput<'session'> = {
          title: session.title,
          type: session.type,
          startsAt: session.startsAt,
          attendeeIds,
          venueId: venue?.record.id ?? null,
          notes: session.venue && !venue ? `Venue: ${session.venue}` : '',
        };
        const id = newRecordId();
        this.ws.createMany('session', [{ id, data }]);
        this.ws.imports.addRecord(batchId, session.line, id, 'created');
      }
      this.ws.imports.progress(batchId, end, 0, end >= plan.sessions.length ? 'complete' : 'partial');
    });
    return this.batches.summary(batchId);
  }
}
