// The merge just made, so the survivor's page can say "Merged. Undo" after the dialog
// that made it has gone.
import { create } from 'zustand';
import type { MergeEntry } from '../../../shared/rpc-team';

export const useMergeNotice = create<{ merge: MergeEntry | null }>(() => ({ merge: null }));

export const showMergeNotice = (merge: MergeEntry) => useMergeNotice.setState({ merge });
export const clearMergeNotice = () => useMergeNotice.setState({ merge: null });
