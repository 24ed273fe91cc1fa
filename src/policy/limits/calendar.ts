/**
 * Calendar periods in a configured IANA time zone: the day for per-day limits, and the budget's
 * day, ISO week (from Monday) or month. Each period is computed once and reused until it ends,
 * so the hot path pays one comparison, not an Intl call.
 */
import type { BudgetPeriod } from './key-limits.js';

/** One calendar period: a stable key (`2026-08-01`, `week:2026-07-27`, `2026-08`) and its bounds (epoch ms). */
export interface CalendarPeriod {
  key: string;
  startsAt: number;
  endsAt: number;
}

export interface Calendar {
  readonly timeZone: string;
  /** The calendar day containing `now`. */
  day(now: number): CalendarPeriod;
  /** The budget period containing `now`. */
  budget(period: BudgetPeriod, now: number): CalendarPeriod;
}

const NEVER: CalendarPeriod = { key: 'all', startsAt: 0, endsAt: Number.POSITIVE_INFINITY };

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

/** Creates a calendar for `timeZone` (validated by the config schema). */
export function createCalendar(timeZone: string): Calendar {
  const format = new Intl.DateTimeFormat('en-US', {
    timeZone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric',
  });

  /** Local wall-clock fields at `instant`. */
  function localFields(instant: number): { y: number; m: number; d: number; offset: number } {
    const fields: Record<string, number> = {};
    for (const part of format.formatToParts(instant)) if (part.type !== 'literal') fields[part.type] = Number(part.value);
    const y = fields.year ?? 1970;
    const m = fields.month ?? 1;
    const d = fields.day ?? 1;
    const wall = Date.UTC(y, m - 1, d, fields.hour ?? 0, fields.minute ?? 0, fields.second ?? 0);
    return { y, m, d, offset: wall - Math.floor(instant / 1000) * 1000 };
  }

  /** The instant of local midnight starting day (y, m, d); overflowing days and months roll over. */
  function midnight(y: number, m: number, d: number): number {
    const wall = Date.UTC(y, m - 1, d);
    // The offset at midnight can differ from the offset now (DST): correct once with it.
    const guess = wall - localFields(wall).offset;
    return wall - localFields(guess).offset;
  }

  const cache = new Map<string, CalendarPeriod>();
  function cached(kind: string, now: number, build: () => CalendarPeriod): CalendarPeriod {
    const hit = cache.get(kind);
    if (hit && now >= hit.startsAt && now < hit.endsAt) return hit;
    const period = build();
    cache.set(kind, period);
    return period;
  }

  function buildDay(now: number): CalendarPeriod {
    const { y, m, d } = localFields(now);
    return { key: `${y}-${pad(m)}-${pad(d)}`, startsAt: midnight(y, m, d), endsAt: midnight(y, m, d + 1) };
  }

  function buildWeek(now: number): CalendarPeriod {
    const { y, m, d } = localFields(now);
    const sinceMonday = (new Date(Date.UTC(y, m - 1, d)).getUTCDay() + 6) % 7;
    const monday = new Date(Date.UTC(y, m - 1, d - sinceMonday));
    const [wy, wm, wd] = [monday.getUTCFullYear(), monday.getUTCMonth() + 1, monday.getUTCDate()];
    return { key: `week:${wy}-${pad(wm)}-${pad(wd)}`, startsAt: midnight(wy, wm, wd), endsAt: midnight(wy, wm, wd + 7) };
  }

  function buildMonth(now: number): CalendarPeriod {
    const { y, m } = localFields(now);
    return { key: `${y}-${pad(m)}`, startsAt: midnight(y, m, 1), endsAt: midnight(y, m + 1, 1) };
  }

  return {
    timeZone,
    day: (now) => cached('day', now, () => buildDay(now)),
    budget(period, now) {
      switch (period) {
        case 'daily': return cached('day', now, () => buildDay(now));
        case 'weekly': return cached('week', now, () => buildWeek(now));
        case 'monthly': return cached('month', now, () => buildMonth(now));
        case 'never': return NEVER;
      }
    },
  };
}
