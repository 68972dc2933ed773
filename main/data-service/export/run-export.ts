// Running an export: the plan's text a page at a time, handed on as it is made (so the
// whole file never waits in one string here, and the data service answers other requests
// between pages), with progress, stoppable between any two pages.
import { setImmediate } from 'node:timers/promises';
import { RpcError } from '../../../shared/rpc';
import { ExportRequest, type ExportFile } from '../../../shared/rpc-export';
import type { Workspace } from '../workspace';
import { PeopleGate } from './consent-gate';
import { planExport } from './plans';

/** Records read per page: the list queries' own cap. */
const PAGE_SIZE = 500;

/**
 * Write the export `request` asks for, giving each piece of the file to `onText` in order
 * with how many of the list's records are done. Throws `conflict` (stopped) once `signal` is
 * aborted; the caller then drops what it was given.
 */
export async function runExport(
  ws: Workspace,
  input: ExportRequest,
  signal: AbortSignal,
  onText: (text: string, done: number, total: number) => void,
): Promise<ExportFile> {
  const request = ExportRequest.parse(input);
  const gate = new PeopleGate(ws, request.use, request.today);
  const plan = planExport(ws, request, gate);
  onText(plan.head, 0, plan.total);
  for (let done = 0; done < plan.total; ) {
    await setImmediate();
    if (signal.aborted) throw new RpcError('conflict', 'the export was stopped: nothing was saved');
    const { text, read } = plan.page(done, PAGE_SIZE);
    if (read === 0) break; // records deleted since it started
    done += read;
    onText(text, done, plan.total);
  }
  onText(plan.tail(), plan.total, plan.total);
  return { fileName: plan.fileName, mime: plan.mime, counts: { matched: plan.total, written: plan.written(), leftOut: plan.leftOut() } };
}
