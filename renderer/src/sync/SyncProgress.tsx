// How far a long sync (a new device's first) has got, as a bar with its "x of y" for screen readers.
import { progressText } from './describe';

export function SyncProgress({ progress }: { progress: { received: number; total: number } }) {
  return (
    <progress className="sync-progress" value={progress.received} max={progress.total} aria-label="Sync progress" aria-valuetext={progressText(progress)} />
  );
}
