/**
 * Evaluates IAM requests against a deployed role's policies (and the resource's own policy) with
 * a policy simulator, `@cloud-copilot/iam-simulate` (AGPL-3.0-or-later, a test-only
 * devDependency: never bundled into a function or shipped), and keeps which grants were used.
 */
import { runSimulation, type StatementExplain } from '@cloud-copilot/iam-simulate';
import type { ArnScope, IamRequest } from './aws-actions.js';
import { type Caller, callerId } from './call-recorder.js';
import type { DeployedRole, DeployedRoles, NamedPolicy } from './deployed-roles.js';

export interface CheckedRequest extends IamRequest {
  readonly caller: Caller;
  /** `recorded` for calls seen in the local run, else the service that makes it on AWS. */
  readonly by: string;
  /** The SDK command it came from. */
  readonly command?: string;
}

export type Decision = 'Allowed' | 'ImplicitlyDenied' | 'ExplicitlyDenied';

export interface Verdict {
  readonly request: CheckedRequest;
  readonly decision: Decision;
  /** Why it was denied: the statements that denied it, or the nearest ones that did not allow it. */
  readonly why: string;
  /** The (policy, statement, action pattern, resource pattern) grants that allowed it. */
  readonly grantsUsed: readonly GrantKey[];
}

/** One action pattern on one resource pattern of one Allow statement of a role's policy. */
export interface Grant {
  readonly caller: string;
  readonly policy: string;
  /** 1-based, as in the policy. */
  readonly statement: number;
  readonly action: string;
  readonly resource: string;
  readonly condition?: string;
}

export type GrantKey = string;
export const grantKey = (g: Omit<Grant, 'condition'>): GrantKey =>
  `${g.caller}|${g.policy}|${g.statement}|${g.action}|${g.resource}`;

const list = <T>(value: T | readonly T[] | undefined): T[] =>
  value === undefined ? [] : Array.isArray(value) ? [...value] : [value as T];

/** Every grant of a role's policies: each action pattern on each resource pattern of each Allow statement. */
export function grantsOf(caller: Caller, policies: readonly NamedPolicy[]): Grant[] {
  return policies.flatMap((policy) =>
    policy.document.Statement.flatMap((statement, index) => {
      if (statement.Effect !== 'Allow') return [];
      const actions = statement.Action
        ? list(statement.Action as string)
        : list(statement.NotAction as string).map((a) => `NOT ${a}`);
      const resources = statement.Resource
        ? list(statement.Resource as string)
        : list(statement.NotResource as string).map((r) => `NOT ${r}`);
      const condition = statement.Condition ? JSON.stringify(statement.Condition) : undefined;
      return actions.flatMap((action) =>
        resources.map((resource) => ({
          caller: callerId(caller),
          policy: policy.name,
          statement: index + 1,
          action,
          resource,
          ...(condition ? { condition } : {}),
        })),
      );
    }),
  );
}

export interface EvaluateOptions {
  /** The role's identity policies to use instead of the deployed ones (the negative tests). */
  readonly policies?: readonly NamedPolicy[];
  /** Condition keys to set instead of the defaults (aws:SecureTransport "true"). */
  readonly context?: Readonly<Record<string, string | string[]>>;
}

/** Evaluates one request as its caller's role, with the resource's policy when it has one. */
export async function evaluate(
  request: CheckedRequest,
  deployed: DeployedRoles,
  options: EvaluateOptions = {},
): Promise<Verdict> {
  const role = deployed.roleOf(request.caller);
  const policies = options.policies ?? role.policies;
  const resourcePolicy = request.resource === '*' ? undefined : deployed.resourcePolicyFor(request.resource);
  const response = await runSimulation(
    {
      request: {
        principal: sessionArn(role, deployed.scope, request.caller),
        action: request.action,
        resource: { resource: request.resource, accountId: deployed.scope.account },
        contextVariables: {
          // Every SDK call goes over HTTPS: bucket policies deny anything else.
          'aws:SecureTransport': 'true',
          'aws:PrincipalArn': role.arn,
          'aws:PrincipalAccount': deployed.scope.account,
          ...request.context,
          ...options.context,
        },
      },
      identityPolicies: policies.map((policy) => ({ name: policy.name, policy: policy.document })),
      serviceControlPolicies: [],
      resourceControlPolicies: [],
      ...(resourcePolicy ? { resourcePolicy } : {}),
      ...(role.boundary
        ? { permissionBoundaryPolicies: [{ name: role.boundary.name, policy: role.boundary.document }] }
        : {}),
    },
    {},
  );
  if (response.resultType === 'error')
    throw new Error(
      `the simulator refused ${request.action} on ${request.resource} for ${callerId(request.caller)}: ${JSON.stringify(response.errors)}`,
    );
  if (response.resultType !== 'single')
    throw new Error(`${request.action} on ${request.resource}: expected one resource, got a wildcard result`);
  const analysis = response.result.analysis;
  const decision = (analysis?.result ?? 'ImplicitlyDenied') as Decision;
  const grantsUsed: GrantKey[] = [];
  if (decision === 'Allowed')
    for (const allow of analysis?.identityAnalysis?.allowStatements ?? [])
      for (const action of matched(allow.explain.actions))
        for (const resource of matched(allow.explain.resources))
          grantsUsed.push(
            grantKey({
              caller: callerId(request.caller),
              policy: allow.policyId,
              statement: allow.statement.index(),
              action,
              resource,
            }),
          );
  return {
    request,
    decision,
    why: decision === 'Allowed' ? '' : denialReason(analysis, policies, request),
    grantsUsed,
  };
}

function matched(explains: StatementExplain['actions'] | StatementExplain['resources']): string[] {
  return list(explains as { matches: boolean; action?: string; resource?: string }[])
    .filter((e) => e.matches)
    .map((e) => e.action ?? e.resource ?? '');
}

/** The caller's session: a role assumed by Lambda, Step Functions or Scheduler. */
function sessionArn(role: DeployedRole, scope: ArnScope, caller: Caller): string {
  const roleName = role.arn.split('/').at(-1);
  return `arn:${scope.partition}:sts::${scope.account}:assumed-role/${roleName}/${caller.name}`;
}

type Analysis = NonNullable<
  Extract<Awaited<ReturnType<typeof runSimulation>>, { resultType: 'single' }>['result']['analysis']
>;

function denialReason(
  analysis: Analysis | undefined,
  policies: readonly NamedPolicy[],
  request: CheckedRequest,
): string {
  const denies = [
    ...(analysis?.identityAnalysis?.denyStatements ?? []).map((s) => ({
      s,
      where: `identity policy ${s.policyId}`,
    })),
    ...(analysis?.resourceAnalysis?.denyStatements ?? []).map((s) => ({ s, where: 'the resource policy' })),
  ];
  if (denies.length > 0)
    return `explicitly denied by ${denies
      .map(
        ({ s, where }) =>
          `statement ${s.statement.index()} of ${where}${s.statement.sid() ? ` (${s.statement.sid()})` : ''}`,
      )
      .join('; ')}`;
  // Implicit: say which statements had the action, and why each did not apply.
  const near = (analysis?.identityAnalysis?.unmatchedStatements ?? []).filter((s) => s.actionMatch);
  if (near.length === 0)
    return `no statement of ${policies.map((p) => p.name).join(', ') || 'its policies'} grants ${request.action} on any resource`;
  return `${request.action} is granted only ${near
    .map((s) => {
      const resources = list(s.explain.resources as { resource: string }[] | undefined).map(
        (r) => r.resource,
      );
      const condition =
        s.resourceMatch && s.conditionMatch !== 'Match'
          ? ` when ${JSON.stringify(s.statement.conditionMap() ?? {})}, which does not hold`
          : '';
      return `on ${resources.join(', ')}${condition} (statement ${s.statement.index()} of ${s.policyId})`;
    })
    .join('; ')}`;
}
