/**
 * Instants of calls and receipts in Italian civil time, whatever the browser's zone: a window
 * "dal 01/03/2026 09:00" and a receipt "01/03/2026 09:00:00.123" mean the same for everyone.
 */

const parts = new Intl.DateTimeFormat('it-IT', {
  day: '2-digit',
  month: '2-digit',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hourCycle: 'h23',
  timeZone: 'Europe/Rome',
});

function pieces(iso: string): Record<string, string> | null {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return null;
  return Object.fromEntries(parts.formatToParts(date).map((x) => [x.type, x.value]));
}

/** "2026-03-01T08:00:00Z" → "01/03/2026 09:00". */
export function formatMinute(iso: string): string {
  const p = pieces(iso);
  return p ? `${p.day}/${p.month}/${p.year} ${p.hour}:${p.minute}` : iso;
}

/**
 * "2026-03-01T08:00:00.123Z" → "01/03/2026 09:00:00.123": the order of arrival is decided to the
 * millisecond, so the receipt shows it. The milliseconds are read from the text, not rounded.
 */
export function formatMillis(iso: string): string {
  const p = pieces(iso);
  if (!p) return iso;
  const ms = Number.isNaN(Date.parse(iso)) ? 0 : new Date(iso).getUTCMilliseconds();
  return `${p.day}/${p.month}/${p.year} ${p.hour}:${p.minute}:${p.second}.${String(ms).padStart(3, '0')}`;
}

/** The value of a datetime-local field (Europe/Rome wall time) for an instant: "2026-03-01T09:00". */
export function toLocalInput(iso: string): string {
  const p = pieces(iso);
  return p ? `${p.year}-${p.month}-${p.day}T${p.hour}:${p.minute}` : '';
}

/**
 * A datetime-local value read as Europe/Rome wall time, as an ISO instant with its offset. The
 * offset is the one Rome has at that moment (+01:00 or +02:00), found by formatting the guess.
 */
export function fromLocalInput(value: string): string | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/.exec(value);
  if (!m) return null;
  const [y, mo, d, h, mi] = m.slice(1).map(Number) as [number, number, number, number, number];
  const wall = Date.UTC(y, mo - 1, d, h, mi);
  let instant = wall - 60 * 60_000;
  for (let i = 0; i < 2; i++) {
    const p = pieces(new Date(instant).toISOString());
    if (!p) return null;
    const shown = Date.UTC(
      +(p.year ?? 0),
      +(p.month ?? 1) - 1,
      +(p.day ?? 1),
      +(p.hour ?? 0),
      +(p.minute ?? 0),
    );
    instant += wall - shown;
  }
  const offset = Math.round((wall - instant) / 60_000);
  const sign = offset >= 0 ? '+' : '-';
  const abs = Math.abs(offset);
  const hh = String(Math.trunc(abs / 60)).padStart(2, '0');
  const mm = String(abs % 60).padStart(2, '0');
  return `${value}:00${sign}${hh}:${mm}`;
}
