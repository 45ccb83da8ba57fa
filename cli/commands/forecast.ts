import { forecast, validateArtifact } from '../../core/forecasting/index.js';
import {
  delimiterFlag,
  HELP_FLAG,
  intFlag,
  parseCommandArgs,
  positionals,
  requireFlag,
  UsageError,
} from '../args.js';
import type { Command } from '../context.js';
import { InputDataError } from '../csv-cells.js';
import { readJsonFile, readTextFile } from '../files.js';
import { forecastHeading, forecastJson, forecastTable } from '../forecast-output.js';
import { futureExogFromCsv, missingExogMessage } from '../future-exog-csv.js';
import { printHelp } from './print-help.js';

/** Far beyond any useful SARIMAX horizon, but bounded so a typo does not print a million rows. */
const MAX_HORIZON = 10_000;

export const forecastCommand: Command = {
  name: 'forecast',
  summary: 'forecast from a model file: point forecasts with 80% and 95% intervals (no AWS)',
  help: `Usage: smlp forecast --model FILE [--horizon 24] [--exog-csv FILE [--delimiter D]] [--json]

Forecasts the steps after the end of the model's training data from a model file (written by
\`smlp fit\` or \`smlp download\`), without AWS. The steps follow the model's
calendar (month after month for a monthly model) and are printed the way its data wrote times.

  --model FILE      the model file
  --horizon N       how many steps ahead (default: 24)
  --exog-csv FILE   future values of the model's regressors: a column per regressor, one row
                    per forecast step in order (needed when the model has regressors); the
                    delimiter (',', ';' or tab) is detected from its header
  --delimiter D     the --exog-csv field separator, if detection gets it wrong
  --json            one JSON object: {"model": …, "horizon": N, "forecast": {"timestamps": [...],
                    "mean": [...], "lower80": [...], "upper80": [...], "lower95": [...], "upper95": [...]}}

Examples:
  smlp forecast --model model.json --horizon 48
  smlp forecast --model model.json --horizon 24 --exog-csv next-day.csv --json`,
  async run(args, context) {
    const { values, positionals: rest } = parseCommandArgs('forecast', args, {
      ...HELP_FLAG,
      model: { type: 'string' },
      horizon: { type: 'string' },
      'exog-csv': { type: 'string' },
      delimiter: { type: 'string' },
      json: { type: 'boolean', default: false },
    });
    if (values.help) return printHelp(context, forecastCommand);
    positionals('forecast', rest, 0, '');
    const modelPath = requireFlag(values.model, '--model', 'the model file, e.g. --model model.json');
    const horizon = intFlag(values.horizon, '--horizon', { min: 1, max: MAX_HORIZON, fallback: 24 });
    const delimiter = delimiterFlag(values.delimiter);

    const json = await readJsonFile(modelPath, '--model');
    let artifact: ReturnType<typeof validateArtifact>;
    try {
      artifact = validateArtifact(json);
    } catch (error) {
      throw new InputDataError(
        `${modelPath} is not a model this tool can forecast with: ${(error as Error).message}`,
      );
    }
    const names = artifact.exogNames;
    let futureExog: number[][] = [];
    if (names.length > 0) {
      const exogPath = values['exog-csv'];
      if (exogPath === undefined) throw new UsageError(missingExogMessage(modelPath, names, horizon));
      const text = await readTextFile(exogPath, '--exog-csv');
      futureExog = futureExogFromCsv(text, names, horizon, exogPath, delimiter);
    } else if (values['exog-csv'] !== undefined) {
      context.stderr(`Note: ${modelPath} has no regressors; --exog-csv is ignored.\n`);
    }

    const result = forecast(artifact, horizon, futureExog);
    if (values.json) context.stdout(`${JSON.stringify(forecastJson(modelPath, artifact, result))}\n`);
    else
      context.stdout(
        `${forecastHeading(modelPath, artifact, horizon)}\n\n${forecastTable(result, artifact)}\n`,
      );
    return 0;
  },
};
