/**
 * Builds the app's stacks for CDK tests the same way `bin/app.ts` does, from a config derived from
 * `defaultConfig`. Synthesis is the slow part (esbuild per function), so test files call this once
 * in `beforeAll` and share the result.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { App, type CfnResource, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import type { IConstruct } from 'constructs';
import { addPipelineStacks, type PipelineStacks } from '../../bin/app.js';
import { type AppConfig, defaultConfig, validateConfig } from '../../lib/config/app-config.js';
import { REPO_ROOT } from '../../lib/config/repo-root.js';

export interface SynthOptions {
  /** Shallow overrides of `defaultConfig` (give `stream`/`retention` whole). */
  readonly config?: Partial<AppConfig>;
  /**
   * Run esbuild for every function. Off skips asset bundling (CDK's `bundlingStacks` context), for
   * tests that only look at properties unrelated to the code.
   * @default true
   */
  readonly bundle?: boolean;
}

export interface SynthResult {
  readonly config: AppConfig;
  readonly stacks: PipelineStacks;
  readonly data: Template;
  readonly pipeline: Template;
}

/** cdk.json's context (the feature flags), which `cdk synth` gives the app and `new App()` alone does not. */
export const CDK_JSON_CONTEXT: Record<string, unknown> =
  (
    JSON.parse(readFileSync(path.join(REPO_ROOT, 'cdk.json'), 'utf8')) as {
      context?: Record<string, unknown>;
    }
  ).context ?? {};

export function synthStacks(options: SynthOptions = {}): SynthResult {
  const config = validateConfig({ ...defaultConfig, ...options.config });
  const app = new App({
    context: {
      ...CDK_JSON_CONTEXT,
      ...(options.bundle === false ? { 'aws:cdk:bundling-stacks': [] } : {}),
    },
  });
  const stacks = addPipelineStacks(app, config);
  return {
    config,
    stacks,
    data: Template.fromStack(stacks.data),
    pipeline: Template.fromStack(stacks.pipeline),
  };
}

/** The CloudFormation logical id of an L2 construct's main resource. */
export function logicalIdOf(construct: IConstruct): string {
  const resource = construct.node.defaultChild as CfnResource | undefined;
  if (!resource)
    throw new Error(`${construct.node.path} has no default child resource to take a logical id from`);
  return Stack.of(construct).getLogicalId(resource);
}

/**
 * Whether a template value refers to a resource: a Ref/GetAtt in the same stack or the
 * ImportValue of a cross-stack export, whose name embeds the producer's logical id.
 */
export function refersTo(value: unknown, logicalId: string): boolean {
  return JSON.stringify(value).includes(logicalId);
}

export interface PolicyStatementJson {
  readonly Effect: string;
  readonly Action: string | string[];
  readonly Resource: unknown;
  readonly Condition?: unknown;
}

/** Every Allow statement of the IAM policies attached to a role (by the role's logical id). */
export function statementsOfRole(template: Template, roleLogicalId: string): PolicyStatementJson[] {
  const policies = template.findResources('AWS::IAM::Policy');
  return Object.values(policies)
    .filter((policy) => refersTo(policy.Properties.Roles, roleLogicalId))
    .flatMap((policy) => policy.Properties.PolicyDocument.Statement as PolicyStatementJson[])
    .filter((statement) => statement.Effect === 'Allow');
}

export function actionsOf(statement: PolicyStatementJson): string[] {
  return Array.isArray(statement.Action) ? statement.Action : [statement.Action];
}

/** The logical id of the execution role of a Lambda function or state machine resource. */
export function roleLogicalIdOf(template: Template, resourceLogicalId: string): string {
  const resource = Object.entries(
    template.toJSON().Resources as Record<string, { Properties: Record<string, unknown> }>,
  ).find(([id]) => id === resourceLogicalId)?.[1];
  const roleRef = (resource?.Properties.Role ?? resource?.Properties.RoleArn) as {
    'Fn::GetAtt'?: [string, string];
  };
  const roleId = roleRef?.['Fn::GetAtt']?.[0];
  if (!roleId) throw new Error(`Resource ${resourceLogicalId} has no Role/RoleArn GetAtt in the template`);
  return roleId;
}
