/**
 * The roles and resource policies the stacks deploy, read from the synthesized templates with
 * every CloudFormation intrinsic resolved to the concrete names the local runtime uses (the same
 * `resourceNames` of the same configuration): function, stream, queue and state machine names are
 * fixed in the templates; the two bucket names CloudFormation would generate are the local ones.
 */
import type { AppConfig } from '../../lib/config/app-config.js';
import { resourceNames } from '../../lib/config/app-config.js';
import type { PipelineDefinition } from '../../lib/config/pipeline-definition.js';
import type { ArnScope, IamRequest } from './aws-actions.js';
import type { Caller } from './call-recorder.js';
import { callerId } from './call-recorder.js';

export interface PolicyDocument {
  readonly Version?: string;
  readonly Statement: readonly Record<string, unknown>[];
}

export interface NamedPolicy {
  /** The template's logical id of the policy, or the managed policy's ARN. */
  readonly name: string;
  readonly document: PolicyDocument;
}

export interface DeployedRole {
  readonly logicalId: string;
  readonly arn: string;
  /** Identity policies: inline ones, AWS::IAM::Policy resources attached to it, managed policies. */
  readonly policies: readonly NamedPolicy[];
  /** Its permissions boundary, when it has one: a grant outside it is denied all the same. */
  readonly boundary?: NamedPolicy;
}

/** A call AWS makes with a role's credentials that no local SDK call shows (logs, X-Ray, the event source). */
export interface ServiceCall extends IamRequest {
  readonly caller: Caller;
  /** Who makes it, for the report. */
  readonly by: string;
}

export interface CfnTemplate {
  readonly Resources?: Record<string, CfnResource>;
  readonly Outputs?: Record<string, { Value: unknown; Export?: { Name: unknown } }>;
}

interface CfnResource {
  readonly Type: string;
  readonly Properties?: Record<string, unknown>;
}

export interface DeployedStack {
  readonly stackName: string;
  readonly template: CfnTemplate;
}

/**
 * The managed policies the stacks attach, as AWS publishes them. A role with any other managed
 * policy fails the check until its document is added here: an unknown grant is not assumed.
 */
export const AWS_MANAGED_POLICIES: Readonly<Record<string, PolicyDocument>> = {
  'service-role/AWSLambdaBasicExecutionRole': {
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow',
        Action: ['logs:CreateLogGroup', 'logs:CreateLogStream', 'logs:PutLogEvents'],
        Resource: '*',
      },
    ],
  },
};

export class DeployedRoles {
  /** Roles by caller id (`function:ingest`, `state-machine:archive`, `schedule:water-retrain`). */
  readonly roles = new Map<string, DeployedRole>();
  /** Roles of the templates that no caller maps to (custom resource providers): reported, not checked. */
  readonly unmappedRoles: string[] = [];
  /** Resource policies by the ARN of the resource they are attached to (bucket, queue). */
  readonly resourcePolicies = new Map<string, PolicyDocument>();
  /** Schedules' targets: the state machine ARN each schedule (by state machine short name) starts. */
  readonly scheduleTargets = new Map<string, string>();
  readonly serviceCalls: ServiceCall[] = [];
  private readonly exports = new Map<string, unknown>();

  constructor(
    readonly stacks: readonly DeployedStack[],
    readonly definition: PipelineDefinition,
    readonly config: Pick<AppConfig, 'prefix' | 'stage'>,
    readonly scope: ArnScope,
    /** Names of resources whose physical name CloudFormation would generate, by logical id. */
    readonly generatedNames: Readonly<Record<string, string>>,
  ) {
    for (const stack of stacks) {
      for (const output of Object.values(stack.template.Outputs ?? {})) {
        if (output.Export)
          this.exports.set(String(this.resolve(stack, output.Export.Name)), { stack, value: output.Value });
      }
    }
    this.readRoles();
    this.readResourcePolicies();
    this.readServiceCalls();
  }

  /** The role a caller's calls are made with; throws when the templates deploy none for it. */
  roleOf(caller: Caller): DeployedRole {
    const role = this.roles.get(callerId(caller));
    if (!role)
      throw new Error(
        `no deployed role for ${callerId(caller)}: the templates have no ${caller.kind} named ${this.physicalName(caller)}`,
      );
    return role;
  }

  /** The resource policy of the resource an ARN names (an object's bucket), if it has one. */
  resourcePolicyFor(resourceArn: string): PolicyDocument | undefined {
    const s3 = /^(arn:[^:]+:s3:::[^/]+)/.exec(resourceArn);
    return this.resourcePolicies.get(s3?.[1] ?? resourceArn);
  }

  private physicalName(caller: Caller): string {
    const names = resourceNames(this.config);
    return caller.kind === 'function' ? names.function(caller.name) : names.stateMachine(caller.name);
  }

  private resources(): { stack: DeployedStack; id: string; resource: CfnResource }[] {
    return this.stacks.flatMap((stack) =>
      Object.entries(stack.template.Resources ?? {}).map(([id, resource]) => ({ stack, id, resource })),
    );
  }

  private readRoles(): void {
    const names = resourceNames(this.config);
    const callers: {
      caller: Caller;
      type: string;
      nameProperty: string;
      roleOf: (p: Record<string, unknown>) => unknown;
    }[] = [
      ...Object.keys(this.definition.functions).map((key) => ({
        caller: { kind: 'function', name: key } as Caller,
        type: 'AWS::Lambda::Function',
        nameProperty: names.function(key),
        roleOf: (p: Record<string, unknown>) => p.Role,
      })),
      ...this.definition.stateMachines.map((machine) => ({
        caller: { kind: 'state-machine', name: machine.name } as Caller,
        type: 'AWS::StepFunctions::StateMachine',
        nameProperty: names.stateMachine(machine.name),
        roleOf: (p: Record<string, unknown>) => p.RoleArn,
      })),
      ...this.definition.stateMachines
        .filter((machine) => machine.schedule)
        .map((machine) => ({
          caller: { kind: 'schedule', name: machine.name } as Caller,
          type: 'AWS::Scheduler::Schedule',
          nameProperty: names.stateMachine(machine.name),
          roleOf: (p: Record<string, unknown>) => (p.Target as Record<string, unknown> | undefined)?.RoleArn,
        })),
    ];
    const mappedRoles = new Set<string>();
    for (const { caller, type, nameProperty, roleOf } of callers) {
      const found = this.resources().find(
        ({ stack, resource }) =>
          resource.Type === type &&
          this.resolve(stack, resource.Properties?.[nameKey(type)]) === nameProperty,
      );
      if (!found) continue; // roleOf() reports it when a call needs it
      const roleRef = roleOf(found.resource.Properties ?? {}) as
        | { 'Fn::GetAtt'?: [string, string] }
        | undefined;
      const roleId = roleRef?.['Fn::GetAtt']?.[0];
      if (!roleId)
        throw new Error(`${type} ${nameProperty} has no role given by Fn::GetAtt; cannot tell its policies`);
      this.roles.set(callerId(caller), this.role(found.stack, roleId));
      mappedRoles.add(`${found.stack.stackName}/${roleId}`);
      if (caller.kind === 'schedule') {
        const target = (found.resource.Properties?.Target as Record<string, unknown> | undefined)?.Arn;
        this.scheduleTargets.set(caller.name, String(this.resolve(found.stack, target)));
      }
    }
    for (const { stack, id, resource } of this.resources())
      if (resource.Type === 'AWS::IAM::Role' && !mappedRoles.has(`${stack.stackName}/${id}`))
        this.unmappedRoles.push(`${stack.stackName}/${id}`);
  }

  private role(stack: DeployedStack, roleId: string): DeployedRole {
    const resource = stack.template.Resources?.[roleId];
    if (resource?.Type !== 'AWS::IAM::Role') throw new Error(`${roleId} is not an AWS::IAM::Role`);
    const props = resource.Properties ?? {};
    const policies: NamedPolicy[] = [];
    for (const inline of (props.Policies ?? []) as { PolicyName: unknown; PolicyDocument: unknown }[])
      policies.push({
        name: `${roleId}/${String(this.resolve(stack, inline.PolicyName))}`,
        document: this.resolve(stack, inline.PolicyDocument) as PolicyDocument,
      });
    for (const { stack: s, id, resource: r } of this.resources()) {
      if (r.Type !== 'AWS::IAM::Policy' && r.Type !== 'AWS::IAM::ManagedPolicy') continue;
      if (s !== stack) continue;
      const roles = (r.Properties?.Roles ?? []) as unknown[];
      if (!roles.some((ref) => (ref as { Ref?: string }).Ref === roleId)) continue;
      policies.push({ name: id, document: this.resolve(s, r.Properties?.PolicyDocument) as PolicyDocument });
    }
    for (const managed of (props.ManagedPolicyArns ?? []) as unknown[]) {
      const policy = this.managedPolicy(stack, roleId, managed);
      if (!policies.some((p) => p.name === policy.name)) policies.push(policy);
    }
    const boundary = props.PermissionsBoundary
      ? this.managedPolicy(stack, roleId, props.PermissionsBoundary)
      : undefined;
    return {
      logicalId: roleId,
      arn: this.getAtt(stack, roleId, 'Arn'),
      policies,
      ...(boundary ? { boundary } : {}),
    };
  }

  /** A managed policy by its ARN or a Ref to one in the template. */
  private managedPolicy(stack: DeployedStack, roleId: string, value: unknown): NamedPolicy {
    const ref = (value as { Ref?: string }).Ref;
    const local = ref ? stack.template.Resources?.[ref] : undefined;
    if (ref && local?.Type === 'AWS::IAM::ManagedPolicy')
      return { name: ref, document: this.resolve(stack, local.Properties?.PolicyDocument) as PolicyDocument };
    const arn = String(this.resolve(stack, value));
    const awsManaged = /^arn:[^:]+:iam::aws:policy\/(.+)$/.exec(arn)?.[1];
    const document = awsManaged ? AWS_MANAGED_POLICIES[awsManaged] : undefined;
    if (!document)
      throw new Error(
        `role ${roleId} has managed policy ${arn}, whose document the IAM check does not have: add it to AWS_MANAGED_POLICIES`,
      );
    return { name: arn, document };
  }

  private readResourcePolicies(): void {
    for (const { stack, resource } of this.resources()) {
      const props = resource.Properties ?? {};
      if (resource.Type === 'AWS::S3::BucketPolicy') {
        const bucket = String(this.resolve(stack, props.Bucket));
        this.addResourcePolicy(
          `arn:${this.scope.partition}:s3:::${bucket}`,
          this.resolve(stack, props.PolicyDocument),
        );
      } else if (resource.Type === 'AWS::SQS::QueuePolicy') {
        for (const url of (props.Queues ?? []) as unknown[]) {
          const name = String(this.resolve(stack, url)).split('/').at(-1);
          this.addResourcePolicy(this.arn('sqs', name ?? ''), this.resolve(stack, props.PolicyDocument));
        }
      }
      // AWS::Lambda::Permission only adds grants to other principals; the callers checked here are
      // allowed by their own identity policies (same account), so function policies change nothing.
    }
  }

  private addResourcePolicy(arn: string, document: unknown): void {
    const existing = this.resourcePolicies.get(arn);
    const statements = (document as PolicyDocument).Statement;
    this.resourcePolicies.set(arn, {
      Version: '2012-10-17',
      Statement: [...(existing?.Statement ?? []), ...statements],
    });
  }

  /**
   * Calls AWS makes with these roles that no local SDK call shows, each from the template's own
   * settings: Lambda writing a function's logs and (active tracing) its X-Ray segments, the
   * event source mapping reading the stream and sending to its on-failure queue, Step Functions
   * tracing, Scheduler's dead-letter queue. The actions are the ones AWS documents for each.
   */
  private readServiceCalls(): void {
    const functionKeyByName = new Map(
      Object.keys(this.definition.functions).map((key) => [resourceNames(this.config).function(key), key]),
    );
    for (const { stack, resource } of this.resources()) {
      const props = resource.Properties ?? {};
      if (resource.Type === 'AWS::Lambda::Function') {
        const key = functionKeyByName.get(String(this.resolve(stack, props.FunctionName)));
        if (!key) continue;
        const caller: Caller = { kind: 'function', name: key };
        const logging = props.LoggingConfig as { LogGroup?: unknown } | undefined;
        const logGroup = logging?.LogGroup
          ? String(this.resolve(stack, logging.LogGroup))
          : `/aws/lambda/${String(this.resolve(stack, props.FunctionName))}`;
        // Both actions are authorized on the log stream (the service reference's resource type).
        const streamArn = this.arn('logs', `log-group:${logGroup}:log-stream:2025/01/01/[$LATEST]0`);
        const by = 'Lambda (function logs)';
        this.serviceCalls.push(
          { caller, by, action: 'logs:CreateLogStream', resource: streamArn, context: {} },
          { caller, by, action: 'logs:PutLogEvents', resource: streamArn, context: {} },
        );
        if ((props.TracingConfig as { Mode?: string } | undefined)?.Mode === 'Active')
          for (const action of ['xray:PutTraceSegments', 'xray:PutTelemetryRecords'])
            this.serviceCalls.push({
              caller,
              by: 'Lambda (active tracing)',
              action,
              resource: '*',
              context: {},
            });
      } else if (resource.Type === 'AWS::Lambda::EventSourceMapping') {
        const name = String(this.resolve(stack, props.FunctionName)).split(':').at(-1) ?? '';
        const key = functionKeyByName.get(name);
        if (!key) continue;
        const caller: Caller = { kind: 'function', name: key };
        const source = String(this.resolve(stack, props.EventSourceArn));
        if (!source.includes(':kinesis:'))
          throw new Error(
            `event source ${source} is not a Kinesis stream: model the calls its mapping makes`,
          );
        const by = 'Lambda event source mapping (polling the stream)';
        for (const action of [
          'kinesis:DescribeStream',
          'kinesis:DescribeStreamSummary',
          'kinesis:GetRecords',
          'kinesis:GetShardIterator',
          'kinesis:ListShards',
        ])
          this.serviceCalls.push({ caller, by, action, resource: source, context: {} });
        const onFailure = (props.DestinationConfig as { OnFailure?: { Destination?: unknown } } | undefined)
          ?.OnFailure?.Destination;
        if (onFailure)
          this.serviceCalls.push({
            caller,
            by: 'Lambda event source mapping (on-failure destination)',
            action: 'sqs:SendMessage',
            resource: String(this.resolve(stack, onFailure)),
            context: {},
          });
      } else if (resource.Type === 'AWS::StepFunctions::StateMachine') {
        const name = String(this.resolve(stack, props.StateMachineName));
        const machine = this.definition.stateMachines.find(
          (m) => resourceNames(this.config).stateMachine(m.name) === name,
        );
        if (!machine) continue;
        const caller: Caller = { kind: 'state-machine', name: machine.name };
        if ((props.TracingConfiguration as { Enabled?: boolean } | undefined)?.Enabled)
          for (const action of [
            'xray:PutTraceSegments',
            'xray:PutTelemetryRecords',
            'xray:GetSamplingRules',
            'xray:GetSamplingTargets',
          ])
            this.serviceCalls.push({
              caller,
              by: 'Step Functions (X-Ray tracing)',
              action,
              resource: '*',
              context: {},
            });
      } else if (resource.Type === 'AWS::Scheduler::Schedule') {
        const name = String(this.resolve(stack, props.Name));
        const machine = this.definition.stateMachines.find(
          (m) => resourceNames(this.config).stateMachine(m.name) === name,
        );
        const deadLetter = (props.Target as { DeadLetterConfig?: { Arn?: unknown } } | undefined)
          ?.DeadLetterConfig?.Arn;
        if (machine && deadLetter)
          this.serviceCalls.push({
            caller: { kind: 'schedule', name: machine.name },
            by: 'EventBridge Scheduler (a start it gave up on)',
            action: 'sqs:SendMessage',
            resource: String(this.resolve(stack, deadLetter)),
            context: {},
          });
      }
    }
  }

  private arn(service: string, rest: string): string {
    const { partition, region, account } = this.scope;
    return `arn:${partition}:${service}:${region}:${account}:${rest}`;
  }

  /** A template value with every intrinsic function resolved; throws on any it does not know. */
  resolve(stack: DeployedStack, value: unknown): unknown {
    if (Array.isArray(value)) return value.map((item) => this.resolve(stack, item));
    if (value === null || typeof value !== 'object') return value;
    const entries = Object.entries(value as Record<string, unknown>);
    const [first] = entries;
    if (entries.length === 1 && first && (first[0] === 'Ref' || first[0].startsWith('Fn::'))) {
      const [fn, arg] = first;
      switch (fn) {
        case 'Ref':
          return this.ref(stack, String(arg));
        case 'Fn::GetAtt': {
          const [id, attribute] = (typeof arg === 'string' ? arg.split('.') : arg) as [string, string];
          return this.getAtt(stack, id, attribute);
        }
        case 'Fn::Join': {
          const [separator, parts] = arg as [string, unknown[]];
          return (this.resolve(stack, parts) as unknown[]).map(String).join(separator);
        }
        case 'Fn::Select': {
          const [index, list] = arg as [number, unknown];
          return (this.resolve(stack, list) as unknown[])[Number(index)];
        }
        case 'Fn::Split': {
          const [separator, source] = arg as [string, unknown];
          return String(this.resolve(stack, source)).split(separator);
        }
        case 'Fn::Sub': {
          const [template, variables] = (typeof arg === 'string' ? [arg, {}] : arg) as [
            string,
            Record<string, unknown>,
          ];
          return template.replace(/\$\{([^}]+)\}/g, (_, name: string) => {
            if (name.startsWith('!')) return `\${${name.slice(1)}}`;
            if (name in variables) return String(this.resolve(stack, variables[name]));
            const [id, attribute] = name.split('.');
            return String(attribute ? this.getAtt(stack, id ?? '', attribute) : this.ref(stack, name));
          });
        }
        case 'Fn::ImportValue': {
          const name = String(this.resolve(stack, arg));
          const exported = this.exports.get(name) as { stack: DeployedStack; value: unknown } | undefined;
          if (!exported) throw new Error(`Fn::ImportValue of ${name}: no stack exports it`);
          return this.resolve(exported.stack, exported.value);
        }
        default:
          throw new Error(
            `${fn} in stack ${stack.stackName}: the IAM check cannot resolve it; add it to deployed-roles.ts`,
          );
      }
    }
    return Object.fromEntries(entries.map(([key, item]) => [key, this.resolve(stack, item)]));
  }

  private ref(stack: DeployedStack, id: string): string {
    const { partition, region, account } = this.scope;
    const pseudo: Record<string, string> = {
      'AWS::Partition': partition,
      'AWS::Region': region,
      'AWS::AccountId': account,
      'AWS::URLSuffix': 'amazonaws.com',
      'AWS::StackName': stack.stackName,
    };
    if (pseudo[id] !== undefined) return pseudo[id];
    const resource = this.resourceOf(stack, id);
    switch (resource.Type) {
      case 'AWS::StepFunctions::StateMachine':
      case 'AWS::SNS::Topic':
        return this.getAtt(stack, id, 'Arn');
      case 'AWS::SQS::Queue':
        return `https://sqs.${region}.amazonaws.com/${account}/${this.name(stack, id)}`;
      default:
        return this.name(stack, id);
    }
  }

  private getAtt(stack: DeployedStack, id: string, attribute: string): string {
    const resource = this.resourceOf(stack, id);
    const name = this.name(stack, id);
    const arns: Record<string, () => string> = {
      'AWS::S3::Bucket': () => `arn:${this.scope.partition}:s3:::${name}`,
      'AWS::Kinesis::Stream': () => this.arn('kinesis', `stream/${name}`),
      'AWS::Lambda::Function': () => this.arn('lambda', `function:${name}`),
      'AWS::StepFunctions::StateMachine': () => this.arn('states', `stateMachine:${name}`),
      'AWS::SQS::Queue': () => this.arn('sqs', name),
      'AWS::SNS::Topic': () => this.arn('sns', name),
      'AWS::Logs::LogGroup': () => this.arn('logs', `log-group:${name}:*`),
      'AWS::IAM::Role': () => `arn:${this.scope.partition}:iam::${this.scope.account}:role/${name}`,
      'AWS::KMS::Key': () => this.arn('kms', `key/${name}`),
      'AWS::Scheduler::Schedule': () => this.arn('scheduler', `schedule/default/${name}`),
      'AWS::Events::Rule': () => this.arn('events', `rule/${name}`),
    };
    if (attribute === 'Arn' || (attribute === 'TopicArn' && resource.Type === 'AWS::SNS::Topic')) {
      const arn = arns[resource.Type];
      if (arn) return arn();
    }
    if (attribute === 'Name' || attribute === 'QueueName') return name;
    if (attribute === 'QueueUrl') return this.ref(stack, id);
    throw new Error(`Fn::GetAtt ${id}.${attribute} (${resource.Type}): the IAM check cannot resolve it`);
  }

  /** The physical name: the template's own, else the one the caller gave for it, else the logical id. */
  private name(stack: DeployedStack, id: string): string {
    const resource = this.resourceOf(stack, id);
    const given = resource.Properties?.[nameKey(resource.Type)];
    if (given !== undefined) return String(this.resolve(stack, given));
    const generated = this.generatedNames[id];
    if (generated) return generated;
    if (resource.Type === 'AWS::S3::Bucket' || resource.Type === 'AWS::Kinesis::Stream')
      throw new Error(
        `${resource.Type} ${id} has no name in the template and none was given for the local run`,
      );
    // Roles, topics, keys: their names appear in no call checked here.
    return id;
  }

  private resourceOf(stack: DeployedStack, id: string): CfnResource {
    const resource = stack.template.Resources?.[id];
    if (!resource) throw new Error(`stack ${stack.stackName} has no resource ${id}`);
    return resource;
  }
}

function nameKey(type: string): string {
  const keys: Record<string, string> = {
    'AWS::S3::Bucket': 'BucketName',
    'AWS::Kinesis::Stream': 'Name',
    'AWS::Lambda::Function': 'FunctionName',
    'AWS::StepFunctions::StateMachine': 'StateMachineName',
    'AWS::SQS::Queue': 'QueueName',
    'AWS::SNS::Topic': 'TopicName',
    'AWS::Logs::LogGroup': 'LogGroupName',
    'AWS::IAM::Role': 'RoleName',
    'AWS::Scheduler::Schedule': 'Name',
  };
  return keys[type] ?? 'Name';
}
