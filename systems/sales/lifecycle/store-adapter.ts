import type { ModelAdapter, PromotionRule } from '../../../core/lifecycle/index.js';
import type {
  CandidateKind,
  CandidateOutcome,
  StoreModel,
  StoreSeries,
  StoreTrainingReport,
} from '../model/types.js';

/**
 * What the shared lifecycle compares for one store: its history and the training job's report
 * (each candidate family backtested on the same rolling origins, and fitted on all days).
 */
export interface StoreChallengeData {
  readonly series: StoreSeries;
  readonly report: StoreTrainingReport;
}

/**
 * One store's champion/challenger, through the shared lifecycle. The challenger is the family
 * with the lowest backtest RMSPE; the champion is scored as its own family refitted on the same
 * folds (a champion fitted on older days would otherwise be judged on days it never saw, or on
 * days it trained on). A tie promotes: the same family fitted on newer days serves fresher.
 */
export function storeModelAdapter(
  parse: (artifact: unknown) => StoreModel,
): ModelAdapter<StoreChallengeData, StoreModel> {
  return {
    kind: 'sales-store',
    async fit({ report }) {
      const best = report.best ? candidate(report, report.best) : undefined;
      if (best?.ok) return { ok: true, model: best.model };
      const reasons = report.candidates.map((c) => `${c.kind}: ${c.ok ? 'fitted' : c.reason}`).join('; ');
      return { ok: false, reason: `no candidate fitted for store ${report.store} (${reasons})` };
    },
    async refitChampion(champion, { report }) {
      const same = candidate(report, champion.kind);
      if (!same) return { ok: false, reason: `${champion.kind} was not backtested in this run` };
      return same.ok ? { ok: true, model: same.model } : { ok: false, reason: same.reason };
    },
    score(model, { report }) {
      const same = candidate(report, model.kind);
      const rmspe = same?.ok ? same.backtest.rmspe : null;
      return {
        label: `${model.kind} through ${model.trainedThrough}`,
        metrics: {
          rmspe,
          baselineLastYearWeekday: report.baselines['last-year-weekday'].rmspe,
          baselineRecentWeekdayMean: report.baselines['recent-weekday-mean'].rmspe,
        },
        ...(rmspe === null || !Number.isFinite(rmspe) ? { unusable: 'no backtest RMSPE' } : {}),
      };
    },
    describe: (model) => ({
      family: model.kind,
      store: model.store,
      trainedThrough: model.trainedThrough,
      ...model.config,
    }),
    serialize: (model) => model,
    deserialize: parse,
  };
}

function candidate(report: StoreTrainingReport, kind: CandidateKind): CandidateOutcome | undefined {
  return report.candidates.find((c) => c.kind === kind);
}

/** Lower backtest RMSPE wins; equal promotes (see above). */
export const storePromotionRule: PromotionRule = {
  metric: 'rmspe',
  better: 'lower',
  margin: { kind: 'relative', value: 0 },
};
