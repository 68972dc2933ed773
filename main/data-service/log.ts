// Problems the data service meets where nobody is waiting for an answer (closing, background
// backups): written to its standard error, which Electron and the harness keep with their logs.
// Never personal data: a message names files and what failed, not records.
export function logProblem(what: string, error: unknown): void {
  console.error(`Community Fieldbook data service: ${what}: ${error instanceof Error ? error.message : String(error)}`);
}
