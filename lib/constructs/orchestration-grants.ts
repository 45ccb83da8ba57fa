import { ArnFormat, Stack } from 'aws-cdk-lib';
import { Grant } from 'aws-cdk-lib/aws-iam';
import type { Function as LambdaFunction } from 'aws-cdk-lib/aws-lambda';
import type { FunctionDefinition } from '../config/system-definition.js';

/**
 * What a function may start and send, from its definition: `states:StartExecution` on each state
 * machine it names (their ARNs in `STATE_MACHINE_ARNS`, read by `handlerEnv.stateMachineArn`) and
 * `events:PutEvents` on the default bus.
 *
 * The ARNs are built from the deployed names, not taken from the machines: the machines are
 * created after the functions and their definitions name the functions' ARNs, so a reference
 * back would be a circular dependency.
 */
export function grantOrchestration(
  fn: LambdaFunction,
  definition: FunctionDefinition,
  deployedStateMachineName: (name: string) => string,
): void {
  const stack = Stack.of(fn);
  const starts = definition.startsStateMachines ?? [];
  if (starts.length > 0) {
    const arns = Object.fromEntries(
      starts.map((name) => [
        name,
        stack.formatArn({
          service: 'states',
          resource: 'stateMachine',
          resourceName: deployedStateMachineName(name),
          arnFormat: ArnFormat.COLON_RESOURCE_NAME,
        }),
      ]),
    );
    Grant.addToPrincipal({
      grantee: fn,
      actions: ['states:StartExecution'],
      resourceArns: Object.values(arns),
    });
    fn.addEnvironment('STATE_MACHINE_ARNS', stack.toJsonString(arns));
  }
  if (definition.putsEvents)
    Grant.addToPrincipal({
      grantee: fn,
      actions: ['events:PutEvents'],
      resourceArns: [stack.formatArn({ service: 'events', resource: 'event-bus', resourceName: 'default' })],
    });
}
