import { create } from 'zustand';

/** Whether the search palette (Ctrl/Cmd+K) is open. */
export const usePalette = create<{ open: boolean }>(() => ({ open: false }));
export const openPalette = () => usePalette.setState({ open: true });
export const closePalette = () => usePalette.setState({ open: false });
