/** "Now" is injected everywhere so tests (and operators replaying a day) can move time. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** A clock that stays where it is put; `set`/`advance` move it. */
export function fixedClock(start: Date | string): Clock & { set(t: Date | string): void; advance(ms: number): void } {
  let current = new Date(start);
  return {
    now: () => new Date(current),
    set(t) {
      current = new Date(t);
    },
    advance(ms) {
      current = new Date(current.getTime() + ms);
    },
  };
}

/** A clock from COBRANZA_NOW: a date (YYYY-MM-DD, taken as noon UTC) or an ISO instant; else the system clock. */
export function clockFromSetting(setting: string | undefined): Clock {
  if (!setting) return systemClock;
  const at = /^\d{4}-\d{2}-\d{2}$/.test(setting) ? new Date(`${setting}T12:00:00Z`) : new Date(setting);
  if (Number.isNaN(at.getTime())) throw new Error(`COBRANZA_NOW "${setting}" is not a date or an ISO instant`);
  return fixedClock(at);
}
