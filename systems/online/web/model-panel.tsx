import { figuresOf, formatFigure, metricOf, metricsSummary, predictionSummary } from './feed';
import { LiveChart, type LiveSeries } from './live-chart';
import type { ModelKey, ModelMetricsView, ResultOf } from './online-api';

const TITLES: Record<ModelKey, string> = { classification: 'Classification', regression: 'Regression' };
const BLUE = '#2563eb';
const ORANGE = '#ea580c';
const GREEN = '#047857';
const PURPLE = '#7c3aed';

/** One model: its latest numbers as big figures, predictions against truth, rolling metrics. */
export function ModelPanel<M extends ModelKey>({
  model,
  results,
  metrics,
}: {
  model: M;
  results: ResultOf<M>[];
  metrics: ModelMetricsView | null | undefined;
}) {
  const heading = `online-${model}-heading`;
  const latest = results.at(-1);
  const name = metrics?.modelName ?? latest?.modelName;
  const learned = (metrics?.learned ?? 0) > 0 || results.length > 0;
  return (
    <section class="card online-model" aria-labelledby={heading}>
      <h2 id={heading}>
        {TITLES[model]}
        {name && <span class="muted online-model-name"> · {name}</span>}
      </h2>
      <dl class="online-figures" aria-label={`${TITLES[model]} figures`}>
        {figuresOf(model, metrics, latest?.tick).map((figure) => (
          <div key={figure.label}>
            <dt>{figure.label}</dt>
            <dd data-value={figure.value === null ? '' : String(figure.value)}>{formatFigure(figure)}</dd>
          </div>
        ))}
      </dl>
      {!learned ? (
        <p class="muted">No records learned yet by this model.</p>
      ) : (
        <Charts model={model} results={results} />
      )}
    </section>
  );
}

function Charts({ model, results }: { model: ModelKey; results: ResultOf<ModelKey>[] }) {
  const times = results.map((r) => Date.parse(r.time));
  const title = TITLES[model];
  const predictions: LiveSeries[] =
    model === 'classification'
      ? [
          {
            label: 'P(class 1)',
            values: results.map((r) => (r.model === 'classification' ? r.probability : null)),
            color: BLUE,
          },
          { label: 'true class', values: results.map((r) => r.truth), color: ORANGE, points: true },
        ]
      : [
          // The target first and thin, so the prediction drawn over it stays visible.
          { label: 'target', values: results.map((r) => r.truth), color: ORANGE, width: 1 },
          { label: 'prediction', values: results.map((r) => r.prediction), color: BLUE },
        ];
  const rolling: LiveSeries[] =
    model === 'classification'
      ? [
          { label: 'accuracy', values: metricValues(results, 'accuracy'), color: BLUE },
          { label: 'F1', values: metricValues(results, 'f1'), color: GREEN },
          { label: 'ROC-AUC', values: metricValues(results, 'rocAuc'), color: PURPLE },
          { label: 'log-loss', values: metricValues(results, 'logLoss'), color: ORANGE, axis: 'right' },
        ]
      : [
          { label: 'MAE', values: metricValues(results, 'mae'), color: BLUE },
          { label: 'RMSE', values: metricValues(results, 'rmse'), color: GREEN },
          { label: 'R²', values: metricValues(results, 'r2'), color: PURPLE, axis: 'right' },
        ];
  const predictionId = `online-${model}-predictions`;
  const metricsId = `online-${model}-metrics`;
  return (
    <div class="online-charts">
      <figure aria-labelledby={predictionId}>
        <h3 id={predictionId}>
          {model === 'classification'
            ? 'Probability against the true class'
            : 'Prediction against the target'}
        </h3>
        <LiveChart
          label={`${title}: ${model === 'classification' ? 'P(class 1) and the true class' : 'prediction and target'} by record time`}
          times={times}
          series={predictions}
          height={200}
          {...(model === 'classification' ? { leftRange: [0, 1] as [number, number] } : {})}
        />
        <figcaption class="muted small">{predictionSummary(results)}</figcaption>
      </figure>
      <figure aria-labelledby={metricsId}>
        <h3 id={metricsId}>Rolling metrics</h3>
        <LiveChart
          label={`${title}: rolling metrics by record time`}
          times={times}
          series={rolling}
          height={200}
        />
        <figcaption class="muted small">{metricsSummary(results)}</figcaption>
      </figure>
    </div>
  );
}

function metricValues(results: ResultOf<ModelKey>[], key: string): (number | null)[] {
  return results.map((r) => metricOf(r, key));
}
