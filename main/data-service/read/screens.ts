// The queries behind the screens: record lists with their filters and sorts, global search,
// the actions list, a record's connections, the connection network's edges, the map's
// assets and the records holding values that could not be read. All read the
// projection only (never a doc), with references resolved through merges (RecordReads).
import type { z } from 'zod';
import { KINDS, LISTED_KINDS, LIST_FILTER_SHAPE, RECORD_KINDS, type DataOf, type FieldProblem, type ListedKind, type ListFilter, type RecordKind } from '../../../shared/domain';
import {
  ActionQuery,
  ListQuery,
  SearchQuery,
  type ActionRow,
  type ConnectionView,
  type ListResult,
  type ListRow,
  type SearchHit,
} from '../../../shared/rpc';
import type { UnreadableRecords } from '../../../shared/rpc-team';
import type { SqliteDatabase } from '../db/sqlite';
import { storedFacetValue } from '../facet-value';
import type { RecordLinks } from '../links';
import { PROBLEM_FACET, PROBLEMS_KEY } from '../projection';
import { parseOrThrow } from '../parse';
import { closestFirst } from '../search-rank';
import { matchedField } from '../search-snippet';
import { foldText, prefixMatchExpression, searchTerms } from '../text';
import { localToday } from '../today';
import type { RecordReads } from './records';

/** A connection as the projection holds it: ids as written. */
export interface ConnectionEdge {
  id: string;
  from_id: string;
  to_id: string;
  kind: string;
}

/** An active asset as the map places it. */
export interface MapAssetRow {
  id: string;
  title: string;
  category: string;
  badges: string;
  lon: number | null;
  lat: number | null;
  postcode: string | null;
}

/** The list filters some kind offers, as against the date, title and status filters every list has. */
const LIST_FILTER_KEYS = new Set(Object.keys(LIST_FILTER_SHAPE));

/** Best matches by bm25 that search re-orders closest first (the most a query may return). */
const SEARCH_CANDIDATES = 200;

/**
 * The active connections with an end among @ids, each with that end (`f.value`): a
 * connection's ends are found through its 'endpoint' facets, the connections table has no
 * index of them (migration 17). CROSS JOIN keeps the facets as the outer loop.
 */
const ENDS_AT_IDS = `FROM record_facets f CROSS JOIN records e ON e.rid = f.record_rid CROSS JOIN connections c ON c.id = e.id
  WHERE f.facet = 'endpoint' AND f.value IN (SELECT facet_value(value) FROM json_each(@ids))`;

type SearchCandidate = Omit<SearchHit, 'snippet'> & { data: string };

export class ScreenQueries {
  private readonly stmt;

  constructor(
    private readonly db: SqliteDatabase,
    private readonly records: RecordReads,
    private readonly links: RecordLinks,
  ) {
    this.stmt = {
      // Ordering by FTS5's own `rank` lets it sort the matches itself and hand them over best
      // first, so the LIMIT stops the scan.
      search: db.prepare(
        `SELECT r.id, r.kind, r.title, r.data
         FROM search_index JOIN records r ON r.rid = search_index.rowid
         WHERE search_index MATCH @match AND rank MATCH 'bm25(10.0, 1.0)'
           AND r.kind IN (SELECT value FROM json_each(@kinds))
         ORDER BY rank LIMIT @limit`,
      ),
      titledExactly: db.prepare(
        `SELECT id, kind, title, data FROM records
         WHERE kind IN (SELECT value FROM json_each(@kinds)) AND status = 'active' AND sort_key = @title`,
      ),
      connectionsOf: db.prepare(
        `SELECT c.id, c.kind, c.date, r.data FROM connections c JOIN records r ON r.id = c.id
         WHERE c.id IN (SELECT c.id ${ENDS_AT_IDS})
         ORDER BY c.date DESC, c.id`,
      ),
      mapAssets: db.prepare(
        `SELECT id, title, category, badges,
                json_extract(data, '$.location.lon') AS lon, json_extract(data, '$.location.lat') AS lat,
                json_extract(data, '$.postcode') AS postcode
           FROM records WHERE kind = 'asset' AND status = 'active' ORDER BY sort_key, rid`,
      ),
      unreadable: db.prepare(
        `SELECT id, kind, title, data FROM records
         WHERE status = 'active' AND kind IN (SELECT value FROM json_each(@kinds))
           AND rid IN (SELECT record_rid FROM record_facets WHERE facet = '${PROBLEM_FACET}')
         ORDER BY sort_key, rid LIMIT @limit`,
      ),
      unreadableCount: db
        .prepare(
          `SELECT count(*) FROM records WHERE status = 'active' AND kind IN (SELECT value FROM json_each(@kinds))
             AND rid IN (SELECT record_rid FROM record_facets WHERE facet = '${PROBLEM_FACET}')`,
        )
        .pluck(),
      allEdges: db.prepare('SELECT id, from_id, to_id, kind FROM connections'),
      // One JSON array parameter instead of a statement per frontier size.
      // Those from them, then those only to them: each connection once.
      edgesTouching: db.prepare(
        `SELECT c.id, c.from_id, c.to_id, c.kind ${ENDS_AT_IDS} AND facet_value(c.from_id) = f.value
         UNION ALL
         SELECT c.id, c.from_id, c.to_id, c.kind ${ENDS_AT_IDS} AND facet_value(c.to_id) = f.value AND c.from_id NOT IN (SELECT value FROM json_each(@ids))`,
      ),
    };
  }

  list(queryInput: ListQuery): ListResult {
    const q = parseOrThrow(ListQuery, queryInput, []);
    const where: string[] = ['r.kind = @kind', 'r.status = @status'];
    const f = q.filter;
    const params: Record<string, unknown> = { kind: q.kind, status: f.status };
    // A filter the kind does not offer (KindDescription.filters) matches none of its records.
    for (const [key, value] of Object.entries(f)) {
      if (!LIST_FILTER_KEYS.has(key) || value === undefined) continue;
      const filter = (KINDS[q.kind].filters as Readonly<Record<string, ListFilter>>)[key];
      if (!filter) {
        where.push('0');
        continue;
      }
      where.push(filter.on === 'category' ? `r.category = @${key}` : `r.rid IN (SELECT record_rid FROM record_facets WHERE facet = '${filter.facet}' AND value = @${key})`);
      params[key] = filter.on === 'category' ? value : storedFacetValue(value);
    }
    const dateExpr = KINDS[q.kind].date ? 'r.date' : 'r.updated_at';
    if (f.from) {
      where.push(`${dateExpr} >= @from`);
      params.from = f.from;
    }
    if (f.to) {
      where.push(`${dateExpr} < @toExclusive`);
      params.toExclusive = nextDay(f.to);
    }
    if (f.titlePrefix) {
      const prefix = foldText(f.titlePrefix);
      where.push('r.sort_key >= @prefix AND r.sort_key < @prefixEnd');
      params.prefix = prefix;
      // The highest code point: U+FFFF would sort below titles whose next character is an emoji.
      params.prefixEnd = prefix + '\u{10ffff}';
    }
    const sortColumn = { title: 'r.sort_key', createdAt: 'r.created_at', updatedAt: 'r.updated_at', date: dateExpr }[q.sort.field];
    const direction = q.sort.direction === 'desc' ? 'DESC' : 'ASC';
    const whereSql = where.join(' AND ');
    const rows = this.db
      .prepare(
        `SELECT r.id, r.kind, r.title, r.subtitle, r.badges, r.date, r.updated_at, r.deleted_at, r.data FROM records r
         WHERE ${whereSql} ORDER BY ${sortColumn} ${direction}, r.rid ${direction} LIMIT @limit OFFSET @offset`,
      )
      .all({ ...params, limit: q.limit, offset: q.offset }) as {
      id: string;
      kind: RecordKind;
      title: string;
      subtitle: string;
      badges: string;
      date: string | null;
      updated_at: string;
      deleted_at: string | null;
      data: string;
    }[];
    // Unfiltered (kind and status only), the total is kept by the projection: no scan.
    const total =
      where.length === 2
        ? this.records.countOf(q.kind, f.status)
        : (this.db.prepare(`SELECT count(*) AS n FROM records r WHERE ${whereSql}`).get(params) as { n: number }).n;
    const summaries = q.kind === 'session' ? this.links.sessionSummaries(rows.map((r) => JSON.parse(r.data)), localToday()) : null;
    return {
      total,
      rows: rows.map((r, i): ListRow => ({
        id: r.id,
        kind: r.kind,
        title: r.kind === 'connection' ? this.connectionTitle(JSON.parse(r.data), r.title) : r.title,
        subtitle: r.subtitle,
        badges: JSON.parse(r.badges),
        date: r.date,
        updatedAt: r.updated_at,
        deletedAt: r.deleted_at,
        ...(summaries && { session: summaries[i]! }),
      })),
    };
  }

  private endpoint(written: string): { id: string; kind: RecordKind; title: string } {
    const id = this.records.resolveId(written);
    const row = this.records.brief(id);
    return { id, kind: row?.kind ?? 'contact', title: row?.title ?? '(missing record)' };
  }

  private connectionTitle(data: DataOf<'connection'>, kindLabel: string): string {
    return `${this.endpoint(data.fromId).title} — ${kindLabel} — ${this.endpoint(data.toId).title}`;
  }

  /** Connections with this record (or one merged into it) at either end. */
  connectionsOf(id: string): ConnectionView[] {
    const rows = this.stmt.connectionsOf.all({ ids: JSON.stringify(this.records.aliasesOf(id)) }) as { id: string; kind: string; date: string | null; data: string }[];
    return rows.map((row) => {
      const data = JSON.parse(row.data) as DataOf<'connection'>;
      return { id: row.id, kind: row.kind, date: row.date, note: data.note, from: this.endpoint(data.fromId), to: this.endpoint(data.toId) };
    });
  }

  /** Every active asset, in title order, with where it is (if known). */
  /** Listed records with a field holding a value its rules refuse (see sync/sanitize.ts), by title: the first `limit`, and how many in all. */
  unreadable(limit: number): UnreadableRecords {
    const params = { kinds: JSON.stringify(LISTED_KINDS), limit };
    const rows = this.stmt.unreadable.all(params) as { id: string; kind: ListedKind; title: string; data: string }[];
    return {
      records: rows.map((r) => ({ id: r.id, kind: r.kind, title: r.title, problems: (JSON.parse(r.data) as Record<string, FieldProblem[]>)[PROBLEMS_KEY] ?? [] })),
      total: this.stmt.unreadableCount.get(params) as number,
    };
  }

  mapAssetRows(): MapAssetRow[] {
    return this.stmt.mapAssets.all() as MapAssetRow[];
  }

  /** Every active connection, ids as written. */
  allEdges(): ConnectionEdge[] {
    return this.stmt.allEdges.all() as ConnectionEdge[];
  }

  /** Active connections with any of these ids at either end, ids as written. */
  edgesTouching(ids: string[]): ConnectionEdge[] {
    return this.stmt.edgesTouching.all({ ids: JSON.stringify(ids) }) as ConnectionEdge[];
  }

  search(queryInput: SearchQuery): SearchHit[] {
    const q = parseOrThrow(SearchQuery, queryInput, []);
    const match = prefixMatchExpression(q.text);
    if (!match) return [];
    const terms = searchTerms(q.text);
    const kinds = q.kinds?.length ? q.kinds : RECORD_KINDS;
    // The best matches by bm25, with any record titled exactly as typed (bm25 can rank it far
    // down when its other fields are long), ordered closest first (search-rank.ts); the
    // matched field is found for the returned rows only.
    const kindsJson = JSON.stringify(kinds);
    const bestByBm25 = this.stmt.search.all({ match, kinds: kindsJson, limit: SEARCH_CANDIDATES }) as SearchCandidate[];
    const titledExactly = this.stmt.titledExactly.all({ kinds: kindsJson, title: foldText(q.text) }) as SearchCandidate[];
    const candidates = [...new Map([...titledExactly, ...bestByBm25].map((c) => [c.id, c])).values()];
    return closestFirst(candidates, q.text)
      .slice(0, q.limit)
      .map((row) => {
        const data = JSON.parse(row.data);
        return {
          id: row.id,
          kind: row.kind,
          title: row.kind === 'connection' ? this.connectionTitle(data, row.title) : row.title,
          snippet: matchedField(row.kind, data, row.title, terms),
        };
      });
  }

  actions(queryInput: z.input<typeof ActionQuery>): { rows: ActionRow[]; total: number } {
    const q = parseOrThrow(ActionQuery, queryInput, []);
    const where = ["s.status = 'active'"];
    if (q.status === 'open') where.push("a.status IN ('open', 'in-progress')");
    if (q.status === 'overdue') where.push("a.status IN ('open', 'in-progress') AND a.due_date < @today");
    if (q.status === 'done') where.push("a.status = 'done'");
    if (q.ownerId) where.push('a.owner_id IN (SELECT value FROM json_each(@owners))');
    const whereSql = where.join(' AND ');
    const params = { today: q.today, owners: q.ownerId ? JSON.stringify(this.records.aliasesOf(q.ownerId)) : null };
    const rows = this.db
      .prepare(
        `SELECT a.session_id AS sessionId, s.title AS sessionTitle, s.date AS sessionStartsAt, a.action_id AS actionId,
                a.text, coalesce(w.merged_into, a.owner_id) AS ownerId, o.title AS ownerName, a.due_date AS dueDate, a.status
         FROM session_actions a JOIN records s ON s.id = a.session_id
         LEFT JOIN records w ON w.id = a.owner_id LEFT JOIN records o ON o.id = coalesce(w.merged_into, a.owner_id)
         WHERE ${whereSql}
         ORDER BY a.due_date IS NULL, a.due_date, s.date, a.position LIMIT @limit OFFSET @offset`,
      )
      .all({ ...params, limit: q.limit, offset: q.offset }) as ActionRow[];
    const { total } = this.db
      .prepare(`SELECT count(*) AS total FROM session_actions a JOIN records s ON s.id = a.session_id WHERE ${whereSql}`)
      .get(params) as { total: number };
    return { rows, total };
  }
}

function nextDay(date: string): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString().slice(0, 10);
}
