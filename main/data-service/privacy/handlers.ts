// RPC handlers of the privacy part of the contract (shared/rpc-privacy.ts). A subject access
// export is the data protection lead's task, so only team leads may make one or read the log
// (a workspace that does not sync belongs to its one user, who leads it): the export holds
// everything about a person, including session notes naming others, which a worker's role
// in the team does not otherwise need in one file.
import { randomUUID } from 'node:crypto';
import { RpcError } from '../../../shared/rpc';
import type { PRIVACY_RPC_METHODS, SubjectAccessFiles, SubjectAccessReport } from '../../../shared/rpc-privacy';
import type { DataService } from '../data-service';
import type { HandlerContext, HandlersFor } from '../rpc-areas';
import { leadsOnly } from '../roles';
import { accessOutline } from './access-document';
import { accessHtml } from './access-html';
import { accessPdf } from './access-pdf';
import { gatherSubjectAccess } from './subject-access';
import { zipSync } from 'fflate';

export function privacyHandlers({ service, connection }: HandlerContext): HandlersFor<keyof typeof PRIVACY_RPC_METHODS> {
  // This connection's running exports, by the caller's job id; a window that goes away stops its own.
  const running = new Map<string, AbortController>();
  connection.onClose(() => {
    for (const job of running.values()) job.abort();
  });
  return {
    'privacy.subjectAccess': leadsOnly(service, 'export everything held about a person', async ({ contactId, jobId }) => {
      if (running.has(jobId)) throw new RpcError('conflict', 'an export with this job id is already running');
      const job = new AbortController();
      running.set(jobId, job);
      try {
        return await subjectAccessFiles(service, contactId, job.signal, (progress) =>
          connection.emit({ type: 'event', name: 'privacy.subjectAccessProgress', progress: { jobId, ...progress } }),
        );
      } finally {
        running.delete(jobId);
      }
    }),
    'privacy.subjectAccessCancel': ({ jobId }) => {
      running.get(jobId)?.abort();
      return null;
    },
    'privacy.subjectAccessLog': leadsOnly(service, 'read the subject access log', () => service.workspace.accessLog.entries()),
  };
}

/**
 * The export as one zip of HTML, PDF and JSON, logged once made. Nothing is written before
 * the files are whole: a stopped or failed export leaves no log entry.
 */
async function subjectAccessFiles(
  service: DataService,
  contactId: string,
  signal: AbortSignal,
  onProgress: (progress: { done: number; total: number; step: string }) => void,
): Promise<SubjectAccessFiles> {
  const ws = service.workspace;
  const exportId = randomUUID();
  const report = await gatherSubjectAccess(ws, contactId, { exportId, by: ws.author, syncServer: service.sync.status().serverUrl, signal, onProgress });
  const outline = accessOutline(report);
  const pdf = await accessPdf(outline);
  if (signal.aborted) throw new RpcError('conflict', 'the export was stopped: nothing was saved or logged');
  const base = `subject-access-${report.generatedAt.slice(0, 10)}-${exportId.slice(0, 8)}`;
  // One file for one save dialog or download, which every desktop opens without extra software.
  const zip = Buffer.from(
    zipSync({
      [`${base}.html`]: Buffer.from(accessHtml(outline), 'utf8'),
      [`${base}.pdf`]: pdf,
      [`${base}.json`]: Buffer.from(`${JSON.stringify(report, null, 2)}\n`, 'utf8'),
    }),
  );
  ws.accessLog.add(exportId, report.generatedAt, report.generatedBy);
  return { exportId, fileName: `${base}.zip`, zipBase64: zip.toString('base64'), counts: countsOf(report) };
}

function countsOf(report: SubjectAccessReport): SubjectAccessFiles['counts'] {
  return {
    history: report.history.length + report.mergedIn.reduce((n, m) => n + m.history.length, 0),
    consents: report.consents.length,
    sessions: report.sessions.length,
    actions: report.actions.length,
    connections: report.connections.length,
    mergedIn: report.mergedIn.length,
    referredToBy: report.referredToBy.length,
    mentions: report.mentions.length,
    imports: report.imports.length,
    devices: report.copies.devices.length,
  };
}
