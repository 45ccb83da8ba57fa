/**
 * The seams of the churn system: the shapes that pass between its records, its day summaries, its
 * features and its model. Each module owns its logic; these types are what they agree on.
 */
export const CHURN = 'churn';

export type Plan = 'basic' | 'standard' | 'premium';
export type Contract = 'monthly' | 'annual' | 'two-year';
export type CallType = 'local' | 'national' | 'international' | 'roaming';

interface EventBase {
  readonly pipeline: 'churn';
  /** Unique per event: the natural key (a re-sent record has the same id and is counted once). */
  readonly eventId: string;
  readonly customerId: string;
  /** Event time, ISO 8601 UTC. */
  readonly time: string;
}

/** One call-detail record (or account event) of one customer, as it travels on the stream. */
export type ChurnEvent =
  | (EventBase & {
      /** A new customer, or a changed plan: the profile from this time on. */
      readonly kind: 'customer';
      readonly plan: Plan;
      readonly contract: Contract;
      readonly monthlyCharge: number;
      /** `YYYY-MM-DD`. */
      readonly signupDate: string;
    })
  | (EventBase & {
      readonly kind: 'call';
      readonly callType: CallType;
      readonly durationSeconds: number;
      readonly dropped: boolean;
    })
  | (EventBase & { readonly kind: 'sms'; readonly international: boolean })
  | (EventBase & { readonly kind: 'data'; readonly megabytes: number })
  | (EventBase & { readonly kind: 'care'; readonly resolved: boolean })
  | (EventBase & { readonly kind: 'payment'; readonly amount: number; readonly daysLate: number })
  /** The customer left: no record of theirs follows. The label comes from these. */
  | (EventBase & { readonly kind: 'churn' });

export type ChurnEventKind = ChurnEvent['kind'];

/** A table row as the Parquet writers take it (core/features/columns.ts's FeatureRow). */
export type Row = Record<string, string | number | null>;

/** What a model is trained and scored on: numeric feature rows in a fixed column order. */
export interface LabelledMatrix {
  readonly featureNames: readonly string[];
  /** Row-major; NaN for a missing value (the forest has a bin for it). */
  readonly features: readonly (readonly number[])[];
  /** 1 = churned within the horizon after the snapshot, 0 = stayed. */
  readonly labels: readonly number[];
  /** The snapshot day of each row (`YYYY-MM-DD`), for time-based splits and per-period views. */
  readonly snapshots: readonly string[];
  readonly customerIds: readonly string[];
}
