// The erasure just made, so the screen the lead lands on can say what was done after the
// dialog that made it has gone (the person's page is gone with them).
import { create } from 'zustand';
import type { ErasureResult } from '../../../shared/rpc-erasure';

export const useErasureNotice = create<{ erasure: (ErasureResult & { name: string }) | null }>(() => ({ erasure: null }));

export const showErasureNotice = (erasure: ErasureResult & { name: string }) => useErasureNotice.setState({ erasure });
export const clearErasureNotice = () => useErasureNotice.setState({ erasure: null });
