import { Cron } from 'croner';
import { ValidationError } from '@verdict/contracts';

/** Throws naming the field when the time zone is not an IANA zone this runtime knows. */
export function checkTimezone(timezone: string, field = 'timezone'): void {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: timezone });
  } catch {
    throw new ValidationError(
      `"${timezone}" is not a time zone; use an IANA name such as "UTC" or "Europe/Paris"`,
      field,
    );
  }
}

/**
 * A cron expression in a time zone: 5 fields (minute hour day month weekday) or 6 with seconds
 * first; names (MON, JAN), ranges, steps, lists, L and # as croner reads them. Refused with the
 * field when it does not parse or never fires.
 */
export function cronOf(expression: string, timezone: string): Cron {
  checkTimezone(timezone);
  let cron: Cron;
  try {
    cron = new Cron(expression, { timezone, paused: true });
  } catch (error) {
    throw new ValidationError(`not a cron expression: ${(error as Error).message}`, 'cron');
  }
  if (!cron.nextRun()) throw new ValidationError('this cron expression never fires', 'cron');
  return cron;
}

/** The next `count` ticks strictly after `from`. */
export function nextTicks(expression: string, timezone: string, count: number, from = new Date()): Date[] {
  return cronOf(expression, timezone).nextRuns(count, from);
}

/** The first tick strictly after `from`, or null when there is none. */
export function nextTick(expression: string, timezone: string, from = new Date()): Date | null {
  return cronOf(expression, timezone).nextRun(from);
}

/** The HH:MM wall clock of `at` in a time zone. */
function wallClock(at: Date, timezone: string): string {
  const parts = new Intl.DateTimeFormat('en-GB', {
    timeZone: timezone,
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(at);
  const get = (t: string) => parts.find((p) => p.type === t)?.value ?? '00';
  return `${get('hour')}:${get('minute')}`;
}

/** Whether `at` falls in a daily HH:MM window of a time zone; a window whose end is before its start spans midnight. */
export function inWindow(start: string, end: string, timezone: string, at = new Date()): boolean {
  const now = wallClock(at, timezone);
  return start <= end ? now >= start && now < end : now >= start || now < end;
}
