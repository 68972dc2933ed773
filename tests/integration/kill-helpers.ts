// Kill tests' child processes: a TypeScript script run under tsx, killed with SIGKILL a set
// time after it prints its first line ("ready…"), or left to finish.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';

/** Run `script` with `args`; SIGKILL it `killAfterMs` after it says it is ready. Returns what it printed and whether it was killed. */
export async function runUntilKilled(script: string, args: string[], killAfterMs: number): Promise<{ text: string; killed: boolean }> {
  const child = spawn(process.execPath, ['--import', 'tsx', script, ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
  let text = '';
  let timer: NodeJS.Timeout | undefined;
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (chunk: string) => {
    text += chunk;
    if (!timer && text.startsWith('ready')) timer = setTimeout(() => child.kill('SIGKILL'), killAfterMs);
  });
  const [code, signal] = (await once(child, 'close')) as [number | null, NodeJS.Signals | null];
  // A child that finished first leaves no kill pending (it would hold the test process open).
  clearTimeout(timer);
  assert.ok(signal === 'SIGKILL' || code === 0, `${script} failed (exit code ${code})`);
  return { text, killed: signal === 'SIGKILL' };
}

/** The lines a writer printed after `ready` before it was killed, each an acknowledgement (a line cut short by the kill is left out). */
export async function linesUntilKilled(script: string, args: string[], killAfterMs: number): Promise<string[]> {
  const { text } = await runUntilKilled(script, args, killAfterMs);
  return text.split('\n').slice(1, -1);
}
