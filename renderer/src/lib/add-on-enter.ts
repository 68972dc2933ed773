// The rows that add an item to a collection (a skill, a consent, a priority, an action).
import type { KeyboardEvent } from 'react';

/** Enter in any field of the row adds its item, a tick box included; on the row's button
 *  Enter presses the button as usual. */
export const addOnEnter = (add: () => void) => (e: KeyboardEvent) => {
  if (e.key === 'Enter' && e.target instanceof HTMLInputElement) {
    e.preventDefault();
    add();
  }
};
