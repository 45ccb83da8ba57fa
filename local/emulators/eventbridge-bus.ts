import { randomUUID } from 'node:crypto';
import type { EventBridgeEvent } from '../../core/events/event-envelope.js';
import { eventInput, withBucketNames } from '../../core/events/event-input.js';
import { type EventPattern, matchesEventPattern } from '../../core/events/event-pattern.js';
import { ruleEnabled } from '../../core/events/rule-flag.js';
import type { EventRuleDefinition } from '../../lib/config/system-definition.js';

/** What the bus did with an event: a rule started its state machine, or could not. */
export type EventBusActivity =
  | {
      readonly type: 'started';
      readonly rule: string;
      readonly stateMachine: string;
      readonly executionName: string;
      readonly executionArn: string;
      readonly eventId: string;
    }
  | {
      readonly type: 'failed';
      readonly rule: string;
      readonly stateMachine: string;
      readonly message: string;
    };

export interface LocalEventBusOptions {
  readonly rules: readonly EventRuleDefinition[];
  /** The buckets' names, for `${DataBucket}` / `${ArtifactsBucket}` in the patterns. */
  readonly buckets: { readonly data: string; readonly artifacts: string };
  /** CDK-like context: a rule whose `disableFlag` is `false` here is left off the bus. */
  readonly context?: (key: string) => unknown;
  /** Starts an execution in the background; returns its name and ARN. */
  readonly start: (stateMachine: string, input: unknown) => { executionName: string; executionArn: string };
}

interface ActiveRule {
  readonly definition: EventRuleDefinition;
  readonly pattern: EventPattern;
}

/**
 * The default EventBridge bus of the local runtime: each event is matched against the rules of
 * the running systems (the same patterns the stack deploys) and each match starts the rule's
 * state machine with the input its target builds, as EventBridge's Step Functions target does.
 */
export class LocalEventBus {
  /** Rules on the bus (those not turned off by their flag). */
  readonly rules: readonly EventRuleDefinition[];
  /** Rules left off because their flag is false. */
  readonly disabled: readonly EventRuleDefinition[];
  private readonly active: readonly ActiveRule[];
  private readonly listeners = new Set<(activity: EventBusActivity) => void>();
  private readonly eventListeners = new Set<(event: EventBridgeEvent, matched: readonly string[]) => void>();
  /** Which rule started an execution, by execution name. */
  private readonly startedBy = new Map<string, string>();

  constructor(private readonly options: LocalEventBusOptions) {
    const context = options.context ?? (() => undefined);
    const on = options.rules.filter((rule) => ruleEnabled(rule, context));
    this.rules = on;
    this.disabled = options.rules.filter((rule) => !on.includes(rule));
    this.active = on.map((definition) => ({
      definition,
      pattern: withBucketNames(definition.pattern, options.buckets) as EventPattern,
    }));
  }

  /** Calls `listener` for each start (or failed start); returns the unsubscribe. */
  onActivity(listener: (activity: EventBusActivity) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Calls `listener` with every event delivered and the names of the rules it matched. */
  onEvent(listener: (event: EventBridgeEvent, matched: readonly string[]) => void): () => void {
    this.eventListeners.add(listener);
    return () => this.eventListeners.delete(listener);
  }

  /** The rule that started an execution, or undefined when something else did. */
  ruleOf(executionName: string): string | undefined {
    return this.startedBy.get(executionName);
  }

  /** Delivers one event: starts the target of every rule it matches; returns what was started. */
  put(event: EventBridgeEvent): EventBusActivity[] {
    const done: EventBusActivity[] = [];
    for (const { definition, pattern } of this.active) {
      if (!matchesEventPattern(pattern, event)) continue;
      const { stateMachine } = definition.target;
      let activity: EventBusActivity;
      try {
        const started = this.options.start(stateMachine, eventInput(definition.target.input, event));
        this.startedBy.set(started.executionName, definition.name);
        activity = { type: 'started', rule: definition.name, stateMachine, ...started, eventId: event.id };
      } catch (error) {
        // On AWS a start that fails after the retries goes to the rule's dead-letter queue.
        activity = { type: 'failed', rule: definition.name, stateMachine, message: (error as Error).message };
      }
      done.push(activity);
      for (const listener of this.listeners) listener(activity);
    }
    for (const listener of this.eventListeners)
      listener(
        event,
        done.map((activity) => activity.rule),
      );
    return done;
  }
}

export const newEventId = (): string => randomUUID();
