import type { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { pipelineDefinition } from '../../lib/config/pipeline-definition.js';
import { systems } from '../../systems/index.js';
import { logicalIdOf, synthStacks } from '../support/cdk-app.js';

const CALLERS = ['arn:aws:iam::111122223333:role/forecast-client', '444455556666'];
const { functions } = pipelineDefinition(systems);
const withUrl = Object.keys(functions).filter((key) => functions[key]?.functionUrl !== undefined);

interface PermissionProperties {
  Action: string;
  FunctionName: unknown;
  Principal: string;
  FunctionUrlAuthType?: string;
  InvokedViaFunctionUrl?: boolean;
}

describe('Function URL callers from the configuration (functionUrlCallers)', () => {
  let pipeline: Template;
  let fnIds: Record<string, string>;

  beforeAll(() => {
    // Prepare / Act: permissions do not depend on the code
    const synth = synthStacks({ bundle: false, config: { functionUrlCallers: CALLERS } });
    pipeline = synth.pipeline;
    fnIds = Object.fromEntries(
      Object.entries(synth.stacks.pipeline.functions).map(([key, fn]) => [key, logicalIdOf(fn)]),
    );
  });

  const permissions = () =>
    Object.values(pipeline.findResources('AWS::Lambda::Permission')).map(
      (resource) => resource.Properties as PermissionProperties,
    );

  it.each(withUrl)(
    '%s lets each caller invoke its URL: lambda:InvokeFunctionUrl and lambda:InvokeFunction through the URL',
    (key) => {
      // Prepare
      const own = permissions().filter(
        (p) => JSON.stringify(p.FunctionName) === JSON.stringify({ 'Fn::GetAtt': [fnIds[key], 'Arn'] }),
      );

      // Assess
      expect(
        own
          .map((p) => ({
            principal: p.Principal,
            action: p.Action,
            urlOnly: p.FunctionUrlAuthType === 'AWS_IAM' || p.InvokedViaFunctionUrl === true,
          }))
          .sort((a, b) => `${a.principal}${a.action}`.localeCompare(`${b.principal}${b.action}`)),
      ).toEqual(
        CALLERS.flatMap((principal) => [
          { principal, action: 'lambda:InvokeFunction', urlOnly: true },
          { principal, action: 'lambda:InvokeFunctionUrl', urlOnly: true },
        ]).sort((a, b) => `${a.principal}${a.action}`.localeCompare(`${b.principal}${b.action}`)),
      );
    },
  );

  it('grants the callers nothing on the functions without a URL', () => {
    // Assess
    const urlFunctionIds = withUrl.map((key) => fnIds[key]);
    expect(withUrl.length).toBeGreaterThan(0);
    for (const permission of permissions().filter((p) => CALLERS.includes(p.Principal)))
      expect(urlFunctionIds).toContain(
        (permission.FunctionName as { 'Fn::GetAtt': [string] })['Fn::GetAtt'][0],
      );
  });
});
