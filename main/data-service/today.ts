// Today's date on this device, as YYYY-MM-DD in its own time zone: the data service runs on
// the user's device, so whose consent holds today is decided by the user's own calendar.
export function localToday(now = new Date()): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}
