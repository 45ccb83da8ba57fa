import { LOCAL_PARTITION } from '../../lib/config/asl.js';
import { LOCAL_ACCOUNT, LOCAL_REGION } from '../local-environment.js';

/**
 * Step Functions ARNs in the local partition, region and account (those of the local function
 * ARNs), named with the deployed names, so an ARN a CLI builds from a name means the same
 * machine locally and on AWS.
 */
const PREFIX = `arn:${LOCAL_PARTITION}:states:${LOCAL_REGION}:${LOCAL_ACCOUNT}:`;

export function stateMachineArn(deployedName: string): string {
  return `${PREFIX}stateMachine:${deployedName}`;
}

export function executionArn(deployedName: string, executionName: string): string {
  return `${PREFIX}execution:${deployedName}:${executionName}`;
}

/** The deployed name in a state machine ARN of this runtime, or undefined when it is not one. */
export function parseStateMachineArn(arn: string): string | undefined {
  const match = /^stateMachine:([^:]+)$/.exec(arn.startsWith(PREFIX) ? arn.slice(PREFIX.length) : '');
  return match?.[1];
}

/** The deployed machine name and execution name in an execution ARN of this runtime. */
export function parseExecutionArn(arn: string): { deployedName: string; executionName: string } | undefined {
  const match = /^execution:([^:]+):([^:]+)$/.exec(arn.startsWith(PREFIX) ? arn.slice(PREFIX.length) : '');
  return match?.[1] && match[2] ? { deployedName: match[1], executionName: match[2] } : undefined;
}

/** The role a deployed machine would run as; nothing assumes it locally. */
export function placeholderRoleArn(deployedName: string): string {
  return `arn:${LOCAL_PARTITION}:iam::${LOCAL_ACCOUNT}:role/${deployedName}-local-role`;
}
