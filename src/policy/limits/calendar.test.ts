import { describe, expect, it } from 'vitest';
import { createCalendar } from './calendar.js';

const iso = (ms: number): string => new Date(ms).toISOString();

describe('createCalendar', () => {
  it.each<[string, string, string, string, string]>([
    ['UTC', '2026-08-01T23:59:59.999Z', '2026-08-01', '2026-08-01T00:00:00.000Z', '2026-08-02T00:00:00.000Z'],
    ['Asia/Kolkata', '2026-08-01T18:29:59.000Z', '2026-08-01', '2026-07-31T18:30:00.000Z', '2026-08-01T18:30:00.000Z'],
    ['Asia/Kolkata', '2026-08-01T18:30:00.000Z', '2026-08-02', '2026-08-01T18:30:00.000Z', '2026-08-02T18:30:00.000Z'],
    // The day DST starts in New York is 23 hours long; the day it ends, 25.
    ['America/New_York', '2026-03-08T12:00:00.000Z', '2026-03-08', '2026-03-08T05:00:00.000Z', '2026-03-09T04:00:00.000Z'],
    ['America/New_York', '2026-11-01T12:00:00.000Z', '2026-11-01', '2026-11-01T04:00:00.000Z', '2026-11-02T05:00:00.000Z'],
  ])('%s: the day of %s is %s [%s, %s)', (zone, at, key, start, end) => {
    const day = createCalendar(zone).day(Date.parse(at));
    expect([day.key, iso(day.startsAt), iso(day.endsAt)]).toEqual([key, start, end]);
  });

  it('gives ISO weeks from Monday and calendar months', () => {
    const calendar = createCalendar('Europe/Paris');
    // Sunday 2026-08-02 21:59 UTC is 23:59 in Paris, still in the week of Monday 27 July.
    const week = calendar.budget('weekly', Date.parse('2026-08-02T21:59:00.000Z'));
    expect([week.key, iso(week.startsAt), iso(week.endsAt)]).toEqual(['week:2026-07-27', '2026-07-26T22:00:00.000Z', '2026-08-02T22:00:00.000Z']);
    const month = calendar.budget('monthly', Date.parse('2026-12-31T23:30:00.000Z'));
    expect([month.key, iso(month.startsAt), iso(month.endsAt)]).toEqual(['2027-01', '2026-12-31T23:00:00.000Z', '2027-01-31T23:00:00.000Z']);
    expect(calendar.budget('daily', Date.parse('2026-08-01T12:00:00.000Z')).key).toBe('2026-08-01');
    expect(calendar.budget('never', 0)).toEqual({ key: 'all', startsAt: 0, endsAt: Number.POSITIVE_INFINITY });
  });

  it('reuses a period while it lasts and moves on when it ends', () => {
    const calendar = createCalendar('UTC');
    const first = calendar.day(Date.parse('2026-08-01T01:00:00.000Z'));
    expect(calendar.day(Date.parse('2026-08-01T23:00:00.000Z'))).toBe(first);
    expect(calendar.day(Date.parse('2026-08-02T00:00:00.000Z')).key).toBe('2026-08-02');
    expect(calendar.day(Date.parse('2026-07-31T12:00:00.000Z')).key).toBe('2026-07-31');
  });
});
