/**
 * EventBridge Scheduler expressions, for the local clock: `rate(value unit)` and
 * `cron(minutes hours day-of-month month day-of-week year)` (UTC). Supports `*`, `?`, numbers,
 * lists, ranges and `/` steps; `L`, `W` and `#` are rejected with a clear error.
 */
export interface Schedule {
  /** The first fire time strictly after `afterMs`. */
  next(afterMs: number): number;
}

const UNIT_MS: Record<string, number> = { minute: 60_000, hour: 3_600_000, day: 86_400_000 };

export function parseScheduleExpression(expression: string): Schedule {
  const rate = /^rate\((\d+)\s+(minute|minutes|hour|hours|day|days)\)$/.exec(expression.trim());
  if (rate) {
    const value = Number(rate[1]);
    const unit = (rate[2] ?? '').replace(/s$/, '');
    if (value < 1) throw new Error(`${expression}: the rate must be at least 1`);
    if ((value === 1) !== !(rate[2] ?? '').endsWith('s'))
      throw new Error(`${expression}: use "1 ${unit}" or "N ${unit}s"`);
    const periodMs = value * (UNIT_MS[unit] ?? 0);
    return { next: (afterMs) => (Math.floor(afterMs / periodMs) + 1) * periodMs };
  }
  const cron = /^cron\((.+)\)$/.exec(expression.trim());
  if (cron?.[1]) return parseCron(expression, cron[1]);
  throw new Error(
    `"${expression}" is not a schedule expression; expected rate(N unit) or cron(m h dom mon dow year)`,
  );
}

function parseField(expression: string, field: string, min: number, max: number): Set<number> | 'any' {
  if (field === '*' || field === '?') return 'any';
  if (/[LW#]/.test(field))
    throw new Error(`${expression}: "${field}" (L, W, #) is not supported by the local scheduler`);
  const values = new Set<number>();
  for (const part of field.split(',')) {
    const match = /^(\*|\d+)(?:-(\d+))?(?:\/(\d+))?$/.exec(part);
    if (!match) throw new Error(`${expression}: cannot read "${part}"`);
    const start = match[1] === '*' ? min : Number(match[1]);
    const end =
      match[2] !== undefined ? Number(match[2]) : match[3] !== undefined || match[1] === '*' ? max : start;
    const step = Number(match[3] ?? 1);
    if (start < min || end > max || step < 1)
      throw new Error(`${expression}: "${part}" is outside ${min}-${max}`);
    for (let v = start; v <= end; v += step) values.add(v);
  }
  return values;
}

function parseCron(expression: string, body: string): Schedule {
  const fields = body.trim().split(/\s+/);
  if (fields.length !== 6)
    throw new Error(`${expression}: cron needs 6 fields (minutes hours day-of-month month day-of-week year)`);
  const [minutes, hours, dom, month, dow] = [
    parseField(expression, fields[0] ?? '', 0, 59),
    parseField(expression, fields[1] ?? '', 0, 23),
    parseField(expression, fields[2] ?? '', 1, 31),
    parseField(expression, fields[3] ?? '', 1, 12),
    parseField(
      expression,
      (fields[4] ?? '').replace(/\b(SUN|MON|TUE|WED|THU|FRI|SAT)\b/gi, (d) =>
        String(['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'].indexOf(d.toUpperCase()) + 1),
      ),
      1,
      7,
    ),
  ];
  const ok = (set: Set<number> | 'any', value: number) => set === 'any' || set.has(value);
  return {
    next(afterMs) {
      // Minute steps: at most a year of them, cheap enough for a local clock.
      let t = (Math.floor(afterMs / 60_000) + 1) * 60_000;
      for (let i = 0; i < 366 * 24 * 60; i++, t += 60_000) {
        const d = new Date(t);
        if (
          ok(minutes, d.getUTCMinutes()) &&
          ok(hours, d.getUTCHours()) &&
          ok(dom, d.getUTCDate()) &&
          ok(month, d.getUTCMonth() + 1) &&
          ok(dow, d.getUTCDay() + 1)
        )
          return t;
      }
      throw new Error(`${expression}: no fire time within a year`);
    },
  };
}
