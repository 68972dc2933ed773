// A handful of line icons for the navigation; decorative, so hidden from screen readers.
const PATHS = {
  asset: 'M12 21s-7-6.2-7-11.5A7 7 0 0 1 19 9.5C19 14.8 12 21 12 21z M12 12.2a2.6 2.6 0 1 0 0-5.2 2.6 2.6 0 0 0 0 5.2z',
  contact: 'M12 12a4 4 0 1 0 0-8 4 4 0 0 0 0 8z M4 21c0-4.4 3.6-7 8-7s8 2.6 8 7',
  session: 'M4 6h16v14H4z M4 10h16 M8 3v5 M16 3v5',
  connection: 'M6.5 9a2.5 2.5 0 1 0 0-5 2.5 2.5 0 0 0 0 5z M17.5 20a2.5 2.5 0 1 0 0-5 2.5 2.5 0 0 0 0 5z M17.5 9a2.5 2.5 0 1 0 0-5 2.5 2.5 0 0 0 0 5z M8.7 7.7l6.6 8.6 M9 6.5h6',
  action: 'M4 4h16v16H4z M8 12l3 3 5-6',
  search: 'M10.5 17a6.5 6.5 0 1 0 0-13 6.5 6.5 0 0 0 0 13z M15.5 15.5L20 20',
  device: 'M4 5h16v11H4z M9 20h6 M12 16v4',
  map: 'M9 4L3 6v14l6-2 6 2 6-2V4l-6 2-6-2z M9 4v14 M15 6v14',
  network: 'M12 7a2.5 2.5 0 1 0 0-5 2.5 2.5 0 0 0 0 5z M5 21a2.5 2.5 0 1 0 0-5 2.5 2.5 0 0 0 0 5z M19 21a2.5 2.5 0 1 0 0-5 2.5 2.5 0 0 0 0 5z M11 7l-5 9.5 M13 7l5 9.5 M7.5 18.5h9',
  duplicates: 'M8 8h11v12H8z M5 16V4h11',
  review: 'M4 4h16v16H4z M8 9h8 M8 13h8 M8 17h5',
  settings: 'M12 15a3 3 0 1 0 0-6 3 3 0 0 0 0 6z M12 2v3 M12 19v3 M2 12h3 M19 12h3 M4.9 4.9l2.1 2.1 M17 17l2.1 2.1 M4.9 19.1L7 17 M17 7l2.1-2.1',
  shield: 'M12 3l8 3v6c0 5-3.4 8.2-8 9-4.6-.8-8-4-8-9V6z M9 12l2 2 4-4',
  inbox: 'M4 13l2.5-8h11L20 13v6H4z M4 13h5l1 2h4l1-2h5',
} as const;

export type IconName = keyof typeof PATHS;

export function Icon({ name }: { name: IconName }) {
  return (
    <svg className="icon" viewBox="0 0 24 24" width="20" height="20" aria-hidden="true" focusable="false">
      <path d={PATHS[name]} fill="none" stroke="currentColor" strokeWidth="1.8" strokeLinecap="round" strokeLinejoin="round" />
    </svg>
  );
}
