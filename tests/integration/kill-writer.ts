// Shared by the kill tests (durability.test.ts, bulk-kill.test.ts): run a writer script in
// a child process, SIGKILL it a given time after it says `ready`, and return the lines it
// printed before (each an acknowledgement, printed only after the write it names returned).
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';

/** The writer's whole lines after `ready`, as printed before the kill (a line cut short by it is left out). */
export async function linesUntilKilled(script: string, args: string[], killAfterMs: number): Promise<string[]> {
  const child = spawn(process.execPath, ['--import', 'tsx', script, ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
  let text = '';
  let killed = false;
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (chunk: string) => {
    text += chunk;
    if (!killed && text.startsWith('ready\n')) {
      killed = true;
      setTimeout(() => child.kill('SIGKILL'), killAfterMs);
    }
  });
  const [code, signal] = (await once(child, 'close')) as [number | null, NodeJS.Signals | null];
  assert.ok(signal === 'SIGKILL' || text.endsWith('done\n'), `the writer stopped by itself (exit code ${code})`);
  return text.split('\n').slice(1, -1);
}
