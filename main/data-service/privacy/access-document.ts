// A subject access report as a readable document: headings, lines and long texts in plain
// words, in the order the person would read them. The HTML and the PDF are both drawn from
// this one outline, so the two always hold the same content.
import { formatDate, formatDateTime, formatList } from '../../../shared/format';
import { KIND_LABEL } from '../../../shared/labels';
import type { SubjectAccessChange, SubjectAccessRecord, SubjectAccessReport } from '../../../shared/rpc-privacy';

export interface OutlineBlock {
  heading?: string;
  lines: string[];
  /** A long text kept as written (a session's notes), with its label. */
  text?: { label: string; body: string };
}

export interface OutlineSection {
  heading: string;
  intro?: string;
  blocks: OutlineBlock[];
  /** Said instead of blocks when there are none. */
  empty: string;
}

export interface AccessOutline {
  title: string;
  about: string[];
  notice: string;
  sections: OutlineSection[];
}

const STATUS_WORDS: Record<SubjectAccessRecord['status'], string> = {
  active: '',
  deleted: ' (deleted, but still stored)',
  merged: ' (merged into another record)',
};

const changeLine = (c: SubjectAccessChange) => `${formatDateTime(c.at)} — ${c.by.name} ${c.description}`;

function recordLines(record: SubjectAccessRecord): string[] {
  return [
    ...record.fields.map((f) => `${f.label}: ${f.text}`),
    `Created ${formatDateTime(record.createdAt)} by ${record.createdBy.name}; last changed ${formatDateTime(record.updatedAt)} by ${record.updatedBy.name}`,
    ...(record.deletedAt ? [`Deleted ${formatDateTime(record.deletedAt)} (the record is still stored on this device)`] : []),
  ];
}

export function accessOutline(report: SubjectAccessReport): AccessOutline {
  const { person } = report;
  const sessionWhen = (startsAt: string, endsAt: string | null) => `${formatDateTime(startsAt)}${endsAt ? ` to ${formatDateTime(endsAt)}` : ''}`;
  return {
    title: `Everything we hold about ${person.title}`,
    about: [
      `Made ${formatDateTime(report.generatedAt)} by ${report.generatedBy.name}, from the workspace “${report.workspace.name}” on this device.`,
      `Export id: ${report.exportId} (the export log lists this id, when and by whom; it never names the person).`,
    ],
    notice: report.notice,
    sections: [
      { heading: 'Their record', blocks: [{ heading: `${person.title}${STATUS_WORDS[person.status]}`, lines: recordLines(person) }], empty: '' },
      {
        heading: 'History of their record',
        intro: 'Every change to their record this device knows of, oldest first: when, who made it, and what changed.',
        blocks: report.history.length ? [{ lines: report.history.map(changeLine) }] : [],
        empty: 'No changes are recorded.',
      },
      {
        heading: 'Consents',
        blocks: report.consents.map((c) => ({ heading: `${String(c.consent.purpose)} — ${c.state}`, lines: c.properties.map((p) => `${p.label}: ${p.text}`) })),
        empty: 'No consents are recorded.',
      },
      {
        heading: 'Sessions they attended or facilitated',
        intro: 'Each session’s notes are given whole, as written: they may name other people.',
        blocks: report.sessions.map((s) => ({
          heading: `${s.title}${STATUS_WORDS[s.status]}`,
          lines: [
            `When: ${sessionWhen(s.startsAt, s.endsAt)}`,
            `Type: ${s.type}`,
            `Where: ${s.venue ?? 'no venue recorded'}`,
            `Took part: ${formatList(s.roles.map((r) => (r === 'attended' ? 'attended' : 'facilitated')))}`,
          ],
          ...(s.notes.trim() ? { text: { label: 'Notes', body: s.notes } } : {}),
        })),
        empty: 'No sessions name them as attending or facilitating.',
      },
      {
        heading: 'Actions they own',
        blocks: report.actions.length
          ? [{ lines: report.actions.map((a) => `${a.text} — ${a.status}${a.dueDate ? `, due ${formatDate(a.dueDate)}` : ''} (from the session “${a.sessionTitle}”)`) }]
          : [],
        empty: 'They own no actions.',
      },
      {
        heading: 'Connections',
        blocks: report.connections.length
          ? [
              {
                lines: report.connections.map((c) => {
                  const who = c.direction === 'from' ? `${person.title} → ${c.kind.toLowerCase()} → ${c.other.title}` : `${c.other.title} → ${c.kind.toLowerCase()} → ${person.title}`;
                  return `${who}${c.date ? `, since ${formatDate(c.date)}` : ''}${c.note ? `. Note: ${c.note}` : ''}${STATUS_WORDS[c.status]}`;
                }),
              },
            ]
          : [],
        empty: 'No connections are recorded.',
      },
      {
        heading: 'Records merged into theirs',
        intro: 'Duplicate records of this person that a team lead merged into this one keep their own content and history.',
        blocks: report.mergedIn.flatMap(({ record, history }) => [
          { heading: `${record.title} (merged)`, lines: recordLines(record) },
          { heading: `History of “${record.title}”`, lines: history.length ? history.map(changeLine) : ['No changes are recorded.'] },
        ]),
        empty: 'No records were merged into theirs.',
      },
      {
        heading: 'Other records that refer to them',
        blocks: report.referredToBy.length
          ? [{ lines: report.referredToBy.map((r) => `${r.title} (${KIND_LABEL[r.kind].one}${STATUS_WORDS[r.status]}): names them as ${formatList(r.fields.map((f) => f.toLowerCase()))}`) }]
          : [],
        empty: 'No other records refer to them.',
      },
      {
        heading: 'Mentions of their name in other records',
        intro: 'Their name found in the notes of records that do not otherwise refer to them.',
        blocks: report.mentions.map((m) => ({ heading: `${m.title} (${KIND_LABEL[m.kind].one}), ${m.field}`, lines: [m.excerpt] })),
        empty: 'Their name is not found in other records’ notes.',
      },
      {
        heading: 'Imported files',
        intro: 'Rows of files imported into the workspace that added their record or were merged into it; for a merge, the values it replaced.',
        blocks: report.imports.map((i) => ({
          heading: `${i.fileName}, line ${i.line} — ${i.action === 'created' ? 'added their record' : 'merged into their record'}`,
          lines: [`Imported ${formatDateTime(i.importedAt)}`, ...i.changes.map((c) => `${c.label}: ${c.text}`)],
        })),
        empty: 'No imported file added or changed their record.',
      },
      {
        heading: 'Where copies are held',
        blocks: [
          {
            lines: [
              `This device (device id ${report.copies.thisDevice.deviceId}), in the workspace “${report.copies.thisDevice.workspaceName}”.`,
              report.copies.syncServer ? `The sync server at ${report.copies.syncServer}.` : 'No sync server: this workspace does not sync.',
              ...report.copies.devices.map((d) => `A device of ${d.name}, which last changed the workspace ${formatDateTime(d.lastChangeAt)}.`),
            ],
          },
          { heading: 'What this list can and cannot know', lines: report.copies.notes },
        ],
        empty: '',
      },
    ],
  };
}
