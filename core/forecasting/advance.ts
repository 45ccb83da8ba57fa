import { buildArtifact } from './artifact.js';
import type { SarimaxState } from './artifact-state.js';
import type { SarimaxArtifact, TrainingSeries } from './types.js';
import { validateArtifact } from './validate-artifact.js';

/**
 * The same model (coefficients unchanged) with its filter run through newer observations, so it
 * forecasts from the latest hour instead of the end of its training window. This is what a
 * champion that was kept needs: it is not refitted, it has just seen more data.
 *
 * `series` is on the original scale and must cover the artifact's training window end; it is
 * filtered from the artifact's training start (or the series start, if later) to its last point.
 */
export function advanceArtifact(artifact: SarimaxArtifact, series: TrainingSeries): SarimaxArtifact {
  const model = validateArtifact(artifact);
  if (series.stepMs !== model.training.stepMs) {
    throw new Error(
      `the series steps every ${series.stepMs} ms, the model every ${model.training.stepMs} ms`,
    );
  }
  if (series.exogNames.join(',') !== model.exogNames.join(',')) {
    throw new Error(
      `the series has regressors [${series.exogNames.join(', ')}], the model [${model.exogNames.join(', ')}]`,
    );
  }
  const end = series.timestamps.indexOf(model.training.end);
  if (end === -1)
    throw new Error(`the series does not contain the model's last training hour ${model.training.end}`);
  const start = Math.max(0, series.timestamps.indexOf(model.training.start));
  if (end === series.timestamps.length - 1) return model;
  const values = series.values.slice(start);
  const state = model.state as unknown as SarimaxState;
  const advanced = buildArtifact({
    order: model.order,
    exogNames: model.exogNames,
    transform: model.transform,
    coefficients: model.coefficients,
    sigma2: model.sigma2,
    aic: model.aic,
    logLikelihood: model.logLikelihood,
    coefficientSource: state.coefficientSource,
    droppedExog: state.droppedExog,
    estimation: state.estimation,
    ...(state.fit ? { fit: state.fit } : {}),
    values: toModelScale(model.transform, values),
    exogRows: series.exog.slice(start),
    timestamps: series.timestamps.slice(start),
    stepMs: series.stepMs,
  });
  return advanced;
}

/** The series on the scale the model was fitted on. */
function toModelScale(transform: SarimaxArtifact['transform'], values: number[]): number[] {
  if (transform === 'log1p') return values.map(Math.log1p);
  if (transform === 'log') return values.map(Math.log);
  return values;
}
