import { randomUUID } from 'node:crypto';
import type {
  DescribeExecutionInput,
  DescribeExecutionOutput,
  DescribeStateMachineForExecutionInput,
  DescribeStateMachineForExecutionOutput,
  DescribeStateMachineInput,
  DescribeStateMachineOutput,
  ExecutionListItem,
  ExecutionStatus,
  GetExecutionHistoryInput,
  GetExecutionHistoryOutput,
  ListExecutionsInput,
  ListExecutionsOutput,
  ListStateMachinesInput,
  ListStateMachinesOutput,
  RedriveExecutionInput,
  RedriveExecutionOutput,
  StartExecutionInput,
  StartExecutionOutput,
  StopExecutionInput,
  StopExecutionOutput,
} from '@aws-sdk/client-sfn';
import type { ExecutionRecord, LocalStateMachines } from '../state-machine-runner.js';
import {
  executionArn,
  parseExecutionArn,
  parseStateMachineArn,
  placeholderRoleArn,
  stateMachineArn,
} from './arns.js';
import { invalidArn, SfnApiError, validation } from './errors.js';
import { executionHistory } from './history.js';
import { page } from './pagination.js';

/** AWS's rule for execution names: 1-80 characters, none of these. */
const INVALID_NAME = /[\s<>{}[\]?*"#%\\^|~`$&,;:/]|\p{Cc}/u;
const STATUSES: readonly string[] = [
  'RUNNING',
  'SUCCEEDED',
  'FAILED',
  'TIMED_OUT',
  'ABORTED',
  'PENDING_REDRIVE',
];

/**
 * The Step Functions operations a CLI or console needs, with AWS's semantics, over the local
 * runtime's state machines and the same execution records the in-process API fills. Machines
 * are known by their deployed names (`deployedName(key)`), as on AWS.
 */
export class StepFunctionsOperations {
  private readonly keyOf: Map<string, string>;

  constructor(
    private readonly machines: LocalStateMachines,
    private readonly deployedName: (key: string) => string,
  ) {
    this.keyOf = new Map(machines.names().map((key) => [deployedName(key), key]));
  }

  /** Operation name (the X-Amz-Target suffix) to handler; a name not here is an unknown operation. */
  readonly byName: Readonly<Record<string, (request: never) => Promise<unknown>>> = {
    ListStateMachines: (request: ListStateMachinesInput) => this.listStateMachines(request),
    DescribeStateMachine: (request: DescribeStateMachineInput) => this.describeStateMachine(request),
    DescribeStateMachineForExecution: (request: DescribeStateMachineForExecutionInput) =>
      this.describeStateMachineForExecution(request),
    StartExecution: (request: StartExecutionInput) => this.startExecution(request),
    DescribeExecution: (request: DescribeExecutionInput) => this.describeExecution(request),
    ListExecutions: (request: ListExecutionsInput) => this.listExecutions(request),
    StopExecution: (request: StopExecutionInput) => this.stopExecution(request),
    GetExecutionHistory: (request: GetExecutionHistoryInput) => this.getExecutionHistory(request),
    RedriveExecution: (request: RedriveExecutionInput) => this.redriveExecution(request),
  };

  async listStateMachines(request: ListStateMachinesInput): Promise<ListStateMachinesOutput> {
    const all = this.machines.names().map((key) => ({
      stateMachineArn: stateMachineArn(this.deployedName(key)),
      name: this.deployedName(key),
      type: 'STANDARD' as const,
      creationDate: this.machines.createdAt,
    }));
    const { items, nextToken } = page(all, request, 'state-machines');
    return { stateMachines: items, ...(nextToken ? { nextToken } : {}) };
  }

  async describeStateMachine(request: DescribeStateMachineInput): Promise<DescribeStateMachineOutput> {
    return this.describeMachine(this.machineKey(request.stateMachineArn));
  }

  async describeStateMachineForExecution(
    request: DescribeStateMachineForExecutionInput,
  ): Promise<DescribeStateMachineForExecutionOutput> {
    const record = this.execution(request.executionArn);
    const { stateMachineArn, name, definition, roleArn, creationDate } = this.describeMachine(
      record.stateMachine,
    );
    return { stateMachineArn, name, definition, roleArn, updateDate: creationDate };
  }

  async startExecution(request: StartExecutionInput): Promise<StartExecutionOutput> {
    const key = this.machineKey(request.stateMachineArn);
    const inputText = request.input ?? '{}';
    let input: unknown;
    try {
      input = JSON.parse(inputText);
    } catch (error) {
      throw new SfnApiError(
        'InvalidExecutionInput',
        `Invalid State Machine Execution Input: '${(error as Error).message}'`,
      );
    }
    const name = request.name ?? randomUUID();
    if (name.length < 1 || name.length > 80 || INVALID_NAME.test(name)) {
      throw new SfnApiError('InvalidName', `Invalid Name: '${name}'`);
    }
    const arn = executionArn(this.deployedName(key), name);
    const existing = this.latest(key, name);
    if (existing) {
      // Standard workflows: the same name and input while it runs is the same execution.
      if (existing.status === 'RUNNING' && JSON.stringify(existing.input) === JSON.stringify(input)) {
        return { executionArn: arn, startDate: new Date(existing.startDate) };
      }
      throw new SfnApiError('ExecutionAlreadyExists', `Execution Already Exists: '${arn}'`);
    }
    const record = this.machines.start(key, input, name);
    return { executionArn: arn, startDate: new Date(record.startDate) };
  }

  async describeExecution(request: DescribeExecutionInput): Promise<DescribeExecutionOutput> {
    const record = this.execution(request.executionArn);
    const redrivable = record.status === 'FAILED';
    return {
      ...this.listItem(record),
      input: JSON.stringify(record.input ?? null),
      inputDetails: { included: true },
      ...(record.status === 'SUCCEEDED'
        ? { output: JSON.stringify(record.output ?? null), outputDetails: { included: true } }
        : {}),
      ...(record.error !== undefined ? { error: record.error } : {}),
      ...(record.cause !== undefined ? { cause: record.cause } : {}),
      redriveStatus: redrivable ? 'REDRIVABLE' : 'NOT_REDRIVABLE',
      ...(redrivable ? {} : { redriveStatusReason: notRedrivableReason(record) }),
    };
  }

  async listExecutions(request: ListExecutionsInput): Promise<ListExecutionsOutput> {
    if (!request.stateMachineArn) {
      throw validation('stateMachineArn is required (map runs are not supported locally)');
    }
    const key = this.machineKey(request.stateMachineArn);
    if (request.statusFilter && !STATUSES.includes(request.statusFilter)) {
      throw validation(`statusFilter must be one of ${STATUSES.join(', ')}, got ${request.statusFilter}`);
    }
    // Newest first; executions started in the same millisecond keep their order reversed.
    const matching = this.machines.executions
      .map((record, order) => ({ record, order }))
      .filter(({ record }) => record.stateMachine === key)
      .filter(({ record }) => !request.statusFilter || record.status === request.statusFilter)
      .sort((a, b) => b.record.startDate.localeCompare(a.record.startDate) || b.order - a.order)
      .map(({ record }) => this.listItem(record));
    const { items, nextToken } = page(matching, request, `executions:${key}:${request.statusFilter ?? ''}`);
    return { executions: items, ...(nextToken ? { nextToken } : {}) };
  }

  async stopExecution(request: StopExecutionInput): Promise<StopExecutionOutput> {
    const record = this.execution(request.executionArn);
    this.machines.stop(record, {
      ...(request.error !== undefined ? { error: request.error } : {}),
      ...(request.cause !== undefined ? { cause: request.cause } : {}),
    });
    // An execution already ended keeps its end: stopping it again changes nothing.
    await this.machines.finished(record);
    return { stopDate: new Date(record.stopDate ?? Date.now()) };
  }

  async getExecutionHistory(request: GetExecutionHistoryInput): Promise<GetExecutionHistoryOutput> {
    const record = this.execution(request.executionArn);
    const events = executionHistory(record, {
      roleArn: placeholderRoleArn(this.deployedName(record.stateMachine)),
      includeExecutionData: request.includeExecutionData ?? true,
    });
    if (request.reverseOrder) events.reverse();
    const { items, nextToken } = page(
      events,
      request,
      `history:${request.executionArn}:${request.reverseOrder ? 'reverse' : 'forward'}`,
    );
    return { events: items, ...(nextToken ? { nextToken } : {}) };
  }

  async redriveExecution(request: RedriveExecutionInput): Promise<RedriveExecutionOutput> {
    const record = this.execution(request.executionArn);
    if (record.status !== 'FAILED') {
      throw new SfnApiError('ExecutionNotRedrivable', notRedrivableReason(record));
    }
    this.machines.redrive(record);
    return { redriveDate: new Date(record.redriveDate ?? Date.now()) };
  }

  private describeMachine(key: string) {
    const name = this.deployedName(key);
    return {
      stateMachineArn: stateMachineArn(name),
      name,
      status: 'ACTIVE' as const,
      definition: JSON.stringify(this.machines.definitionOf(key)),
      roleArn: placeholderRoleArn(name),
      type: 'STANDARD' as const,
      creationDate: this.machines.createdAt,
    };
  }

  private listItem(record: ExecutionRecord): ExecutionListItem {
    const name = this.deployedName(record.stateMachine);
    return {
      executionArn: executionArn(name, record.executionName),
      stateMachineArn: stateMachineArn(name),
      name: record.executionName,
      status: record.status as ExecutionStatus,
      startDate: new Date(record.startDate),
      ...(record.stopDate ? { stopDate: new Date(record.stopDate) } : {}),
      redriveCount: record.redriveCount ?? 0,
      ...(record.redriveDate ? { redriveDate: new Date(record.redriveDate) } : {}),
    };
  }

  /** The local key of the machine an ARN names; AWS's errors for a malformed or unknown one. */
  private machineKey(arn: string | undefined): string {
    if (!arn) throw validation('stateMachineArn is required');
    const deployedName = parseStateMachineArn(arn);
    if (!deployedName) throw invalidArn(arn);
    const key = this.keyOf.get(deployedName);
    if (!key) throw new SfnApiError('StateMachineDoesNotExist', `State Machine Does Not Exist: '${arn}'`);
    return key;
  }

  private execution(arn: string | undefined): ExecutionRecord {
    if (!arn) throw validation('executionArn is required');
    const parsed = parseExecutionArn(arn);
    if (!parsed) throw invalidArn(arn);
    const key = this.keyOf.get(parsed.deployedName);
    const record = key ? this.latest(key, parsed.executionName) : undefined;
    if (!record) throw new SfnApiError('ExecutionDoesNotExist', `Execution Does Not Exist: '${arn}'`);
    return record;
  }

  /** In-process callers may reuse a name; the API sees the newest execution of that name. */
  private latest(key: string, executionName: string): ExecutionRecord | undefined {
    return this.machines.executions.findLast(
      (record) => record.stateMachine === key && record.executionName === executionName,
    );
  }
}

function notRedrivableReason(record: ExecutionRecord): string {
  return record.status === 'ABORTED'
    ? 'Execution is ABORTED: the local runtime redrives FAILED executions only'
    : `Execution is ${record.status} and cannot be redriven`;
}
