// An answer of the data service a Privacy section shows, asked again whenever records of
// the kinds it depends on change (here, or arriving by sync).
import { useCallback, useEffect, useRef, useState } from 'react';
import type { RecordKind } from '../../../shared/domain';
import { errorMessage, onServiceEvent } from '../app/connection';
import { changesRecords } from '../lib/record-events';

export function useLiveAnswer<T>(ask: () => Promise<T>, dependsOn: readonly RecordKind[]): { answer: T | null; error: string | null; reload: () => void } {
  const [answer, setAnswer] = useState<T | null>(null);
  const [error, setError] = useState<string | null>(null);
  // The latest question, so a section may pass a new closure each render without asking again.
  const question = useRef(ask);
  question.current = ask;
  const reload = useCallback(() => {
    question.current().then(
      (found) => {
        setAnswer(found);
        setError(null);
      },
      (e: unknown) => setError(errorMessage(e)),
    );
  }, []);
  const kinds = dependsOn.join(',');
  useEffect(() => {
    reload();
    return onServiceEvent((event) => {
      if (changesRecords(event, kinds.split(',') as RecordKind[])) reload();
    });
  }, [reload, kinds]);
  return { answer, error, reload };
}
