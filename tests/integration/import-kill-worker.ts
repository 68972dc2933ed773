// The import kill test's child: imports a CSV file into a workspace, resuming the partial
// batch of that file if there is one, printing each step as it commits, until killed.
import { readFileSync } from 'node:fs';
import { DEFAULT_POLICY } from '../../shared/domain';
import { RecordImports, readImportFile } from '../../main/data-service/import/record-import';
import { guessContactMapping } from '../../main/data-service/import/contact-mapping';
import { Workspace } from '../../main/data-service/workspace';

const [path, csvPath] = process.argv.slice(2) as [string, string];
const ws = Workspace.open({ path, author: { id: 'importer', name: 'Importer' } });
const file = readImportFile('contact', 'people.csv', readFileSync(csvPath));
// Steps of 200 records, so kills land between steps as well as inside them.
const imports = new RecordImports(ws, 200);
const partial = ws.imports.partialFor(file.sha256);
const batch = partial
  ? imports.resume(file, partial.id)
  : imports.start(file, {
      targets: guessContactMapping(file.headers),
      category: null,
      basis: { ground: 'consent', statement: 'consent on paper form v2', purposes: [{ purposeId: DEFAULT_POLICY.purposes[0]!.id, wordingVersion: 'v1' }], method: 'written', givenAt: '2025-06-01' },
      defaultDecision: 'create',
      decisions: {},
    });
process.stdout.write(`ready ${batch.id}\n`);
let status = batch.status;
while (status === 'partial') {
  const stepped = imports.step(file, batch.id);
  status = stepped.status;
  process.stdout.write(`${stepped.done}\n`);
}
ws.close();
