import type { DriftSettings, Features, ModelState } from '../types.js';
import { Adwin, type AdwinState } from './adwin.js';

/** What a wrapped model does, apart from predicting (whose name differs by task). */
export interface LearningModel<Target> {
  learn(x: Features, y: Target): void;
  importance(): Record<string, number>;
  data(): unknown;
}

interface DriftTracker {
  detector: Adwin;
  resets: number;
  lastResetAt: number | undefined;
}

/**
 * A model plus, when configured, ADWIN on its own errors, shared by both tasks: each record is
 * first predicted, the model's error on it (`errorOf`) goes to ADWIN, and a detected rise of the
 * error replaces the model with a fresh one of the same configuration before the record is
 * learned, so the new model starts from the new concept (River's `DriftRetrainingClassifier`
 * without a background model). `learned` counts the records the current model has learned;
 * `lastResetAt` is the value `learned` had when the last reset happened (how long the replaced
 * model had lived). Each task's class adds its prediction and its check of the target.
 */
export abstract class DriftReset<
  Config extends { readonly drift?: DriftSettings },
  Target,
  Model extends LearningModel<Target>,
> {
  /** The model in use now (a fresh one after each reset). */
  protected model: Model;
  private learned: number;
  private readonly drift: DriftTracker | null;

  /**
   * A fresh model of `config`, or with `restored`, the one that state describes (`config` being
   * `restored.config` parsed); `kind` names the task in error messages.
   */
  protected constructor(
    kind: 'classifier' | 'regressor',
    private readonly config: Config,
    private readonly newModel: (config: Config, data?: unknown) => Model,
    restored?: ModelState<Config>,
  ) {
    if (!restored) {
      this.drift = config.drift
        ? { detector: new Adwin(config.drift.delta), resets: 0, lastResetAt: undefined }
        : null;
      this.model = newModel(config);
      this.learned = 0;
      return;
    }
    this.drift = null;
    if (config.drift) {
      if (!restored.drift)
        throw new Error(`${kind} state: the configuration has drift settings but no detector`);
      this.drift = {
        detector: Adwin.restore(restored.drift.detector as AdwinState),
        resets: restored.drift.resets,
        lastResetAt: restored.drift.lastResetAt,
      };
    }
    this.model = newModel(config, restored.data);
    this.learned = restored.learned;
  }

  /** The current model's error on a record, before learning it (0/1, |y − ŷ|). */
  protected abstract errorOf(x: Features, y: Target): number;

  /** Learns a record whose target the task's class has checked. */
  protected learnChecked(x: Features, y: Target): void {
    if (this.drift) {
      const error = this.errorOf(x, y);
      const before = this.drift.detector.estimation;
      // Only a change for the worse replaces the model: a model that is still learning (a fresh
      // one above all) makes its error fall, which ADWIN reports as a change too, and resetting on
      // that would restart the learning that caused it, over and over.
      if (this.drift.detector.update(error) && this.drift.detector.estimation > before) {
        this.drift.resets += 1;
        this.drift.lastResetAt = this.learned;
        this.model = this.newModel(this.config);
        this.learned = 0;
      }
    }
    this.model.learn(x, y);
    this.learned += 1;
  }

  state(): ModelState<Config> {
    return {
      config: this.config,
      learned: this.learned,
      ...(this.drift
        ? {
            drift: {
              detector: this.drift.detector.state(),
              resets: this.drift.resets,
              ...(this.drift.lastResetAt === undefined ? {} : { lastResetAt: this.drift.lastResetAt }),
            },
          }
        : {}),
      data: this.model.data(),
    };
  }

  importance(): Record<string, number> {
    return this.model.importance();
  }
}

/** Refuses a state whose record count is not a count; `kind` names the task in the message. */
export function checkLearned(kind: 'classifier' | 'regressor', state: ModelState<unknown>): void {
  if (!Number.isInteger(state.learned) || state.learned < 0) {
    throw new Error(`${kind} state: learned must be a count, got ${String(state.learned)}`);
  }
}
