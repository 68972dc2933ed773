// Copying a code a person must pass on (a recovery code, an invite code): to the clipboard,
// or, where the clipboard is refused (a desktop without permission), selected on screen
// for Ctrl+C instead.

/** What to tell the person when the code could only be selected. */
export const SELECTED_TO_COPY = 'This window may not copy by itself: the code is selected, press Ctrl+C (⌘C on a Mac) to copy it.';

/** Copy `code`; if the clipboard refuses, select `shown` (the element showing it). Whether it was copied. */
export async function copyCode(code: string, shown: HTMLElement | null): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(code);
    return true;
  } catch {
    if (shown) {
      const range = document.createRange();
      range.selectNodeContents(shown);
      window.getSelection()?.removeAllRanges();
      window.getSelection()?.addRange(range);
    }
    return false;
  }
}
