// RPC handlers of the exports' part of the contract (shared/rpc-export.ts). Each run has the
// caller's job id; `export.cancel` stops it, and a window that goes away stops its own.
import { RpcError } from '../../../shared/rpc';
import type { EXPORT_RPC_METHODS, ExportRequest } from '../../../shared/rpc-export';
import type { HandlerContext, HandlersFor } from '../rpc-areas';
import { runExport } from './run-export';

export function exportHandlers({ service, connection }: HandlerContext): HandlersFor<keyof typeof EXPORT_RPC_METHODS> {
  const running = new Map<string, AbortController>();
  connection.onClose(() => {
    for (const job of running.values()) job.abort();
  });

  /** Run the export, sending progress, and the file's text too when `withText`. */
  const run = async (request: ExportRequest, withText: boolean) => {
    const { jobId } = request;
    if (running.has(jobId)) throw new RpcError('conflict', 'an export with this job id is already running');
    const job = new AbortController();
    running.set(jobId, job);
    try {
      return await runExport(service.workspace, request, job.signal, (text, done, total) =>
        connection.emit({ type: 'event', name: 'export.progress', progress: { jobId, done, total, ...(withText && text && { chunk: text }) } }),
      );
    } finally {
      running.delete(jobId);
    }
  };

  return {
    'export.count': async (p) => (await run(p, false)).counts,
    'export.file': (p) => run(p, true),
    'export.cancel': ({ jobId }) => {
      running.get(jobId)?.abort();
      return null;
    },
  };
}
