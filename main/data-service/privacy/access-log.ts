// The log of subject access exports made on this device, for the data protection lead: an
// export's id, when it was made and by whom. It never holds whom an export was about — no
// name, no record id — so the log itself discloses nothing about the person, and erasing a
// person leaves nothing here to erase. The id is printed in the export's documents, so the
// organisation's own request file links an export to its request.
import type { Author } from '../../../shared/domain';
import type { SubjectAccessLogEntry } from '../../../shared/rpc-privacy';
import type { SqliteDatabase } from '../db/sqlite';
import type { TableClaim } from '../db/tables';

export const ACCESS_LOG_TABLES: TableClaim[] = [
  {
    table: 'subject_access_log',
    personal: 'nothing about the people exported: the id of each export, when, and the id and name of the worker who made it',
    recordRows: null,
  },
];

export class SubjectAccessLog {
  private readonly stmt;

  constructor(db: SqliteDatabase) {
    this.stmt = {
      insert: db.prepare('INSERT INTO subject_access_log (export_id, at, by_id, by_name) VALUES (?, ?, ?, ?)'),
      all: db.prepare('SELECT export_id AS exportId, at, by_id AS byId, by_name AS byName FROM subject_access_log ORDER BY at DESC, export_id'),
    };
  }

  add(exportId: string, at: string, by: Author): void {
    this.stmt.insert.run(exportId, at, by.id, by.name);
  }

  entries(): SubjectAccessLogEntry[] {
    return (this.stmt.all.all() as { exportId: string; at: string; byId: string; byName: string }[]).map((r) => ({
      exportId: r.exportId,
      at: r.at,
      by: { id: r.byId, name: r.byName },
    }));
  }
}
