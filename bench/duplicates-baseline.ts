// The duplicate finder as an earlier commit had it, written out to a folder of its own so
// bench/duplicates.ts can time it beside this checkout's on the same workspace in the same
// run: on a machine shared with other work, only a baseline measured alongside is a fair one.
import { execFileSync } from 'node:child_process';
import { mkdirSync, realpathSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const REPO = new URL('..', import.meta.url).pathname;
/** What the finder's code reads at run time besides its own folder (its other imports are of types, erased): text folding, and what it shares with the renderer. */
const FINDER_FILES = ['main/data-service/duplicates', 'main/data-service/text.ts', 'shared'];

/** The finder's index.ts as of `commit`, under `dir`; throws, saying why, if git cannot give it (a shallow clone). */
export function finderAt(commit: string, dir: string): string {
  mkdirSync(dir, { recursive: true });
  const tar = execFileSync('git', ['-C', REPO, 'archive', '--format=tar', commit, ...FINDER_FILES], { stdio: ['ignore', 'pipe', 'pipe'] });
  execFileSync('tar', ['-x', '-C', dir], { input: tar });
  symlinkSync(realpathSync(join(REPO, 'node_modules')), join(dir, 'node_modules'));
  // Loaded as ES modules, as this checkout's are.
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ type: 'module' }));
  return join(dir, 'main/data-service/duplicates/index.ts');
}
