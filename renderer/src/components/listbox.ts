// One listbox under a text box, for the record picker and the search palette: focus stays
// in the text box (a screen reader hears the highlighted option through
// aria-activedescendant); the arrows move the highlight round the list, Home and End to its
// ends, Enter picks what is highlighted, Escape closes the list where it can be closed.
import { useEffect, useId, useState, type HTMLAttributes, type InputHTMLAttributes, type KeyboardEvent, type MouseEvent } from 'react';

interface Options {
  /** How many options there are, in the order the arrows move through them. */
  count: number;
  /** The list is shown (and the text box says so). */
  expanded: boolean;
  onPick: (index: number) => void;
  /** Closes the list, leaving the text box (Escape goes no further, so a dialog around it stays open). */
  onClose?: () => void;
}

export interface Listbox {
  /** The highlighted option; new matches put it back on the first (`setActive(0)`). */
  active: number;
  setActive: (index: number) => void;
  combobox: Pick<
    InputHTMLAttributes<HTMLInputElement>,
    'role' | 'aria-expanded' | 'aria-controls' | 'aria-autocomplete' | 'aria-activedescendant' | 'autoComplete' | 'onKeyDown'
  >;
  listbox: Pick<HTMLAttributes<HTMLElement>, 'id' | 'role' | 'hidden'>;
  option: (index: number) => Pick<HTMLAttributes<HTMLElement>, 'id' | 'role' | 'aria-selected' | 'onMouseDown' | 'onMouseMove' | 'onClick'>;
  /** Id for an element inside the list (a group's label), unique to this list. */
  idFor: (part: string) => string;
}

// Keeps focus in the text box when an option is clicked.
const keepFocus = (e: MouseEvent) => e.preventDefault();

export function useListbox({ count, expanded, onPick, onClose }: Options): Listbox {
  const listId = useId();
  const [active, setActive] = useState(0);
  const idFor = (part: string) => `${listId}-${part}`;
  const optionId = (index: number) => idFor(`option-${index}`);

  useEffect(() => {
    if (expanded) document.getElementById(optionId(active))?.scrollIntoView({ block: 'nearest' });
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [active]);

  const onKeyDown = (e: KeyboardEvent<HTMLInputElement>) => {
    // The arrows belong to the list in a one-line text box, even while it has nothing in it.
    const moveTo = { ArrowDown: (active + 1) % count, ArrowUp: (active - 1 + count) % count, Home: 0, End: count - 1 }[e.key];
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') e.preventDefault();
    if (!expanded || count === 0) return;
    if (moveTo !== undefined) {
      e.preventDefault();
      setActive(moveTo);
    } else if (e.key === 'Enter') {
      e.preventDefault();
      onPick(active);
    } else if (e.key === 'Escape' && onClose) {
      e.preventDefault();
      e.stopPropagation();
      onClose();
    }
  };

  return {
    active,
    setActive,
    combobox: {
      role: 'combobox',
      'aria-expanded': expanded,
      'aria-controls': listId,
      'aria-autocomplete': 'list',
      'aria-activedescendant': expanded ? optionId(active) : undefined,
      autoComplete: 'off',
      onKeyDown,
    },
    listbox: { id: listId, role: 'listbox', hidden: !expanded },
    option: (index) => ({
      id: optionId(index),
      role: 'option',
      'aria-selected': index === active,
      onMouseDown: keepFocus,
      // Moving, not entering: a list scrolled under a still pointer keeps the keyboard's highlight.
      onMouseMove: () => setActive(index),
      onClick: () => onPick(index),
    }),
    idFor,
  };
}
