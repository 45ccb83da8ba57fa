import { describeStep, formatTime, type SeriesCalendar, seasonForStep } from '../../core/data/calendar.js';
import { describeOrder, fitSarimax } from '../../core/forecasting/index.js';
import { isSearch } from '../../core/forecasting/order.js';
import type {
  FitAttempt,
  FitOptions,
  SarimaxArtifact,
  ValueTransform,
} from '../../core/forecasting/types.js';
import { HELP_FLAG, parseCommandArgs, positionals } from '../args.js';
import type { CliContext, Command } from '../context.js';
import { delimiterName } from '../csv-cells.js';
import { describeFill } from '../csv-gaps.js';
import { csvToSeries } from '../csv-series.js';
import { readTextFile, writeTextFile } from '../files.js';
import {
  chooseSeason,
  coreSeries,
  DEFAULT_TIME_LIMIT_SECONDS,
  finishArtifact,
  fitOptions,
  fitPlan,
} from '../fit-plan.js';
import { fixed, formatBytes, keyValues } from '../format.js';
import { printHelp } from './print-help.js';

export const fitCommand: Command = {
  name: 'fit',
  summary: 'fit a SARIMAX model on your own CSV and write the model file (no AWS)',
  help: `Usage: smlp fit --csv FILE --value COLUMN [--time COLUMN] [--exog A,B]
                        [--order p,d,q[,P,D,Q,s] | --search [--season S]] [--transform log|log1p|none]
                        [--fill [--max-fill 10%]] [--delimiter ','|';'|tab]
                        [--out model.json] [--time-limit ${DEFAULT_TIME_LIMIT_SECONDS}] [--max-points 7000] [--json]

Fits the pipeline's forecasting model (SARIMAX) on a CSV on this machine, without AWS, and
writes the model file that \`smlp forecast\` reads (the same format the registry stores).

  --csv FILE          the data: a header line, then one row per time step
  --value COLUMN      the column to forecast (numbers)
  --time COLUMN       the times: 2024 (years), 2024-Q1 (quarters), 2024-03 (months), 2024-03-01
                      (days, weeks) or ISO-8601 date-times (no zone = UTC). Rows are sorted by it;
                      the step (hourly … yearly) is found by calendar: the same day each month,
                      the same time each day. Without it: file order, one hour apart
  --exog A,B          regressor columns (numbers; true/false read as 1/0). Forecasting then
                      needs their future values (forecast --exog-csv)
  --order p,d,q[,P,D,Q,s]   a fixed order, e.g. 1,0,1 or 1,0,1,1,1,1,24
  --search            search orders up to (2,0,2)(1,1,1)s by AIC (the default without --order)
  --season S          the search's seasonal period in steps (default from the step: 24 hourly,
                      7 daily, 52 weekly, 12 monthly, 4 quarterly, none yearly; 0 for none)
  --transform T       fit log(value) (log: values > 0), log(1 + value) (log1p: values > -1) or
                      the values (none, the default); forecasts come back on the original scale
  --log               the same as --transform log1p
  --fill              interpolate missing steps linearly (value and regressors); without it a
                      missing step is an error
  --max-fill N|P%     the most --fill may fill: N steps or P% of the points (default: 10%); a
                      single gap may be at most one season long
  --delimiter D       the field separator: ',', ';' or tab (default: detected from the header)
  --out FILE          the model file (default: model.json)
  --time-limit SEC    a fit running longer is abandoned; a search stops trying new orders
                      after this long (default: ${DEFAULT_TIME_LIMIT_SECONDS})
  --max-points N      fit only the last N points (default: 7000, at most 15000)
  --json              print the summary as one JSON object

Progress goes to stderr, the summary to stdout.

Examples:
  smlp fit --csv readings.csv --value consumption --time timestamp --order 1,0,1,1,1,1,24
  smlp fit --csv sales.csv --value sales --time month --transform log --fill
  smlp fit --csv readings.csv --value consumption --time timestamp \\
      --exog temperature,holiday --search --log --out model.json`,
  async run(args, context) {
    const { values, positionals: rest } = parseCommandArgs('fit', args, {
      ...HELP_FLAG,
      csv: { type: 'string' },
      value: { type: 'string' },
      time: { type: 'string' },
      exog: { type: 'string' },
      order: { type: 'string' },
      search: { type: 'boolean', default: false },
      season: { type: 'string' },
      log: { type: 'boolean', default: false },
      transform: { type: 'string' },
      fill: { type: 'boolean', default: false },
      'max-fill': { type: 'string' },
      delimiter: { type: 'string' },
      out: { type: 'string' },
      'time-limit': { type: 'string' },
      'max-points': { type: 'string' },
      json: { type: 'boolean', default: false },
    });
    if (values.help) return printHelp(context, fitCommand);
    positionals('fit', rest, 0, '');
    const plan = fitPlan(values);

    const text = await readTextFile(plan.csvPath, '--csv');
    const data = csvToSeries(text, plan.columns, plan.csvPath, plan.reading);
    const { series } = data;
    const points = series.values.length;
    const fitted = Math.min(points, plan.maxPoints);
    const season = chooseSeason(plan, series.calendar, fitted);
    const options = fitOptions(plan, season);
    if (data.delimiter !== ',')
      context.stderr(`Read ${plan.csvPath} split at ${delimiterName(data.delimiter)}.\n`);
    if (data.sorted)
      context.stderr(`Rows of ${plan.csvPath} were not in time order: sorted by "${plan.columns.time}".\n`);
    if (data.syntheticTime)
      context.stderr(`No --time column: the ${points} rows are taken in file order, one hour apart.\n`);
    if (data.filled.length > 0)
      context.stderr(`${describeFill(data.filled, series.calendar, series.calendar.style)}.\n`);
    if (points > plan.maxPoints)
      context.stderr(`Fitting the last ${plan.maxPoints} of ${points} points (--max-points).\n`);
    if (season.note && isSearch(options.order)) context.stderr(`${season.note}\n`);
    context.stderr(
      `${startLine(options, fitted, describeStep(series.calendar), series.exogNames, plan.transform)}\n`,
    );

    const outcome = await withHeartbeat(context, () =>
      fitSarimax(coreSeries(series, plan.transform), options),
    );
    const chosen = outcome.ok ? describeOrder(outcome.artifact.order) : undefined;
    for (const attempt of outcome.attempts)
      context.stderr(`  ${attemptLine(attempt, describeOrder(attempt.order) === chosen)}\n`);
    if (!outcome.ok) {
      context.stderr(`No model: ${outcome.reason}\n`);
      return 1;
    }
    const artifact = finishArtifact(outcome.artifact, series, plan.transform);
    const body = JSON.stringify(artifact);
    await writeTextFile(plan.out, body, '--out');
    const summary: FitSummary = {
      out: plan.out,
      bytes: Buffer.byteLength(body),
      order: describeOrder(artifact.order),
      aic: artifact.aic,
      points: artifact.training.points,
      start: artifact.training.start,
      end: artifact.training.end,
      stepMs: artifact.training.stepMs,
      step: describeStep(series.calendar),
      calendar: series.calendar,
      filled: data.filled.reduce((sum, gap) => sum + gap.steps, 0),
      exogNames: artifact.exogNames,
      transform: artifact.transform,
      seconds: Number(outcome.seconds.toFixed(3)),
      attempts: outcome.attempts.length,
      fitted: outcome.attempts.filter((a) => a.ok).length,
    };
    if (values.json) context.stdout(`${JSON.stringify(summary, null, 2)}\n`);
    else context.stdout(`${describeFit(summary, artifact)}\n`);
    return 0;
  },
};

function startLine(
  options: FitOptions,
  points: number,
  step: string,
  exogNames: string[],
  transform: ValueTransform,
): string {
  const regressors = exogNames.length === 0 ? 'no regressors' : `regressors ${exogNames.join(', ')}`;
  const on = `${points} points (step ${step}, ${regressors}${transform === 'none' ? '' : `, ${transform}`})`;
  if (isSearch(options.order)) {
    const o = options.order;
    const upTo = describeOrder({
      p: o.maxP,
      d: o.d,
      q: o.maxQ,
      P: o.maxSeasonalP,
      D: o.D,
      Q: o.maxSeasonalQ,
      s: o.s,
    });
    return `Searching orders up to ${upTo} by AIC on ${on}, for up to ${options.timeLimitMs / 1000} s …`;
  }
  return `Fitting ${describeOrder(options.order)} on ${on}, time limit ${options.timeLimitMs / 1000} s …`;
}

/** One finished attempt; ★ marks the order whose model was written. */
export function attemptLine(attempt: FitAttempt, chosen = false): string {
  const order = describeOrder(attempt.order).padEnd(18);
  const time = `${attempt.seconds.toFixed(1)} s`;
  return attempt.ok
    ? `✔ ${order} AIC ${fixed(attempt.aic, 2)}  (${time})${chosen ? '  ★' : ''}`
    : `✘ ${order} ${attempt.reason ?? 'failed'}  (${time})`;
}

/**
 * The core reports attempts only when the whole fit is done, so a long search would look hung:
 * a line every few seconds says it is still working.
 */
async function withHeartbeat<T>(context: CliContext, work: () => Promise<T>): Promise<T> {
  const started = performance.now();
  const timer =
    context.heartbeatSeconds > 0
      ? setInterval(
          () => context.stderr(`  … still fitting (${Math.round((performance.now() - started) / 1000)} s)\n`),
          context.heartbeatSeconds * 1000,
        )
      : undefined;
  try {
    return await work();
  } finally {
    clearInterval(timer);
  }
}

interface FitSummary {
  out: string;
  bytes: number;
  order: string;
  aic: number;
  points: number;
  start: string;
  end: string;
  stepMs: number;
  /** The step in words ("1 month") and as the model file keeps it. */
  step: string;
  calendar: SeriesCalendar;
  /** Steps that --fill interpolated. */
  filled: number;
  exogNames: string[];
  transform: string;
  seconds: number;
  attempts: number;
  fitted: number;
}

function describeFit(summary: FitSummary, artifact: SarimaxArtifact): string {
  const time = (iso: string) => formatTime(Date.parse(iso), summary.calendar.style);
  const exogHint = artifact.exogNames.length > 0 ? ' --exog-csv future.csv' : '';
  return [
    `Model written to ${summary.out} (${formatBytes(summary.bytes)})`,
    keyValues([
      ['order', summary.order],
      ['AIC', fixed(summary.aic, 2)],
      [
        'points',
        `${summary.points} (${time(summary.start)} → ${time(summary.end)}, step ${summary.step}${summary.filled > 0 ? `, ${summary.filled} filled` : ''})`,
      ],
      ['regressors', summary.exogNames.join(', ') || 'none'],
      ['transform', summary.transform],
      [
        'seconds',
        `${summary.seconds.toFixed(1)} (${summary.attempts} order${summary.attempts === 1 ? '' : 's'} tried, ${summary.fitted} fitted)`,
      ],
    ])
      .split('\n')
      .map((line) => `  ${line}`)
      .join('\n'),
    `Next: smlp forecast --model ${summary.out} --horizon ${seasonForStep(summary.calendar) || 10}${exogHint}`,
  ].join('\n');
}
