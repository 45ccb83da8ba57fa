/**
 * Records every AWS SDK call made in this process, attributed to the function (or state machine)
 * running when it was made. Attribution is an AsyncLocalStorage context entered around each
 * handler invocation (the local runtime's `wrapHandler` hook) and around each execution a test
 * starts; it follows the handler's promises, timers and streams, not the client object, so two
 * functions sharing one module's client are still told apart.
 *
 * Calls are caught at the one method every SDK v3 client inherits: `Client.prototype.send` of
 * `@smithy/core` (what `@smithy/smithy-client` became). The prototype is taken from the client
 * classes the handlers import, so the patch is on the copy they actually run.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { KinesisClient } from '@aws-sdk/client-kinesis';
import { S3Client } from '@aws-sdk/client-s3';
import { SFNClient } from '@aws-sdk/client-sfn';
import type { LocalHandler } from '../../local/state-machine-runner.js';

/** Who makes a call on AWS: a function's execution role, a state machine's, a schedule's. */
export interface Caller {
  readonly kind: 'function' | 'state-machine' | 'schedule';
  /** The function key, the state machine's short name, or the scheduled state machine's. */
  readonly name: string;
}

export const callerId = (caller: Caller) => `${caller.kind}:${caller.name}`;

export interface RecordedCall {
  readonly caller: Caller;
  /** The SDK command's class name (`PutObjectCommand`), or an IAM-level call (`lambda:InvokeFunction`). */
  readonly command: string;
  readonly input: Readonly<Record<string, unknown>>;
  /** Filled in when the call settles. */
  outcome?: { ok: true } | { ok: false; name: string; status?: number };
  /** For GetRecords (and a ListShards page after the first): the stream its iterator or token came from. */
  streamName?: string;
}

/** Calls no function context owns, by client: the harness's own clients, or a defect of the check. */
export interface UnattributedCalls {
  readonly client: object;
  readonly commands: Map<string, number>;
  /** Where the first of them was sent from. */
  readonly firstStack: string;
}

interface SendTarget {
  send(this: object, command: unknown, ...rest: unknown[]): Promise<unknown>;
}

const context = new AsyncLocalStorage<Caller>();

/**
 * The recorder. One per test file: `install()` before the handlers are loaded or called,
 * `uninstall()` when done (it restores the original `send`).
 */
export class CallRecorder {
  readonly calls: RecordedCall[] = [];
  private readonly unattributed = new Map<object, UnattributedCalls>();
  /** Handler invocations seen, by function key: proves every function ran. */
  readonly invocations = new Map<string, number>();
  private readonly iterators = new Map<string, string>();
  private readonly restore: (() => void)[] = [];

  /** The distinct base prototypes the SDK clients share; more than one means several copies of the SDK core. */
  static clientPrototypes(): object[] {
    const bases = new Set<object>();
    for (const client of [S3Client, KinesisClient, SFNClient]) {
      // A client class with its own send would bypass the patched one.
      if (Object.hasOwn(client.prototype, 'send')) throw new Error(`${client.name} overrides send`);
      bases.add(Object.getPrototypeOf(client.prototype) as object);
    }
    return [...bases];
  }

  install(): void {
    if (this.restore.length > 0) throw new Error('CallRecorder.install() called twice');
    for (const prototype of CallRecorder.clientPrototypes()) {
      const target = prototype as SendTarget;
      const original = target.send;
      if (typeof original !== 'function') throw new Error('the SDK client base class has no send method');
      const recorder = this;
      target.send = function recordedSend(this: object, command: unknown, ...rest: unknown[]) {
        const call = recorder.record(this, command);
        const sent = original.call(this, command, ...rest);
        if (!call || !(sent instanceof Promise)) return sent;
        return sent.then(
          (output: unknown) => {
            call.outcome = { ok: true };
            recorder.followIterators(call, output);
            return output;
          },
          (error: unknown) => {
            const e = error as { name?: string; $metadata?: { httpStatusCode?: number } };
            call.outcome = {
              ok: false,
              name: e?.name ?? 'Error',
              ...(e?.$metadata?.httpStatusCode ? { status: e.$metadata.httpStatusCode } : {}),
            };
            throw error;
          },
        );
      };
      this.restore.push(() => {
        target.send = original;
      });
    }
  }

  uninstall(): void {
    for (const undo of this.restore.splice(0)) undo();
  }

  /**
   * The runtime's `wrapHandler`: each invocation runs in its function's context. A handler invoked
   * by a state machine Task is also recorded as the state machine role's `lambda:InvokeFunction`.
   */
  wrapHandler(functionArn: (key: string) => string): (key: string, handler: LocalHandler) => LocalHandler {
    return (key, handler) => async (event) => {
      const caller = context.getStore();
      if (caller?.kind === 'state-machine') {
        this.calls.push({
          caller,
          command: 'lambda:InvokeFunction',
          input: { FunctionName: functionArn(key) },
          outcome: { ok: true },
        });
      }
      this.invocations.set(key, (this.invocations.get(key) ?? 0) + 1);
      return context.run({ kind: 'function', name: key }, () => handler(event));
    };
  }

  /** The runtime's `withExecution`: each execution starts (and runs on) as its state machine's role. */
  withExecution(stateMachine: string, start: () => void): void {
    context.run({ kind: 'state-machine', name: stateMachine }, start);
  }

  /** Runs `action` (a state machine execution, a schedule firing) as `caller`. */
  as<T>(caller: Caller, action: () => Promise<T>): Promise<T> {
    return context.run(caller, action);
  }

  /** Records a call made by a service on a principal's behalf, where no SDK call is visible locally. */
  recordDirect(caller: Caller, command: string, input: Record<string, unknown>): void {
    this.calls.push({ caller, command, input, outcome: { ok: true } });
  }

  private record(client: object, command: unknown): RecordedCall | undefined {
    const name = (command as { constructor?: { name?: string } })?.constructor?.name ?? String(command);
    const caller = context.getStore();
    // A function's calls, and a state machine's own (a Distributed Map's item reader and result
    // writer); anything else is a harness client or a defect of the check.
    if (caller === undefined || caller.kind === 'schedule') {
      // Kept for later: the harness's own clients (the runtime's, the test's) are told apart then.
      let seen = this.unattributed.get(client);
      if (!seen) {
        seen = { client, commands: new Map(), firstStack: new Error().stack ?? '' };
        this.unattributed.set(client, seen);
      }
      seen.commands.set(name, (seen.commands.get(name) ?? 0) + 1);
      return undefined;
    }
    const input = ((command as { input?: Record<string, unknown> }).input ?? {}) as Record<string, unknown>;
    const call: RecordedCall = { caller, command: name, input };
    // GetRecords names only an iterator, a ListShards page after the first only a token.
    const token =
      name === 'GetRecordsCommand'
        ? input.ShardIterator
        : name === 'ListShardsCommand'
          ? input.NextToken
          : undefined;
    const stream = typeof token === 'string' ? this.iterators.get(token) : undefined;
    if (stream) call.streamName = stream;
    this.calls.push(call);
    return call;
  }

  /** Iterators and page tokens name no stream: remember which stream each one the handlers got belongs to. */
  private followIterators(call: RecordedCall, output: unknown): void {
    const out = output as
      | { ShardIterator?: string; NextShardIterator?: string; NextToken?: string }
      | undefined;
    const stream =
      (call.input.StreamName as string | undefined) ??
      streamNameOfArn(call.input.StreamARN) ??
      call.streamName;
    if (!stream) return;
    for (const token of [out?.ShardIterator, out?.NextShardIterator, out?.NextToken])
      if (token) this.iterators.set(token, stream);
  }

  /** Unattributed calls from clients other than the given harness clients: each one is a defect of the check. */
  strayCalls(harnessClients: readonly object[]): UnattributedCalls[] {
    return [...this.unattributed.values()].filter((calls) => !harnessClients.includes(calls.client));
  }
}

function streamNameOfArn(arn: unknown): string | undefined {
  return typeof arn === 'string' ? /:stream\/([^/]+)$/.exec(arn)?.[1] : undefined;
}
