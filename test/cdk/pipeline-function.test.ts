import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { App, Stack, Stage } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { AccountPrincipal, ArnPrincipal } from 'aws-cdk-lib/aws-iam';
import { Stream } from 'aws-cdk-lib/aws-kinesis';
import { Bucket } from 'aws-cdk-lib/aws-s3';
import { beforeAll, describe, expect, it } from 'vitest';
import { pipelineDefinition } from '../../lib/config/pipeline-definition.js';
import type { FunctionDefinition } from '../../lib/config/system-definition.js';
import { PipelineFunction, type PipelineFunctionProps } from '../../lib/constructs/pipeline-function.js';
import { systems } from '../../systems/index.js';

const KEY = 'sensors-endpoint';
const definition = pipelineDefinition(systems).functions[KEY] as FunctionDefinition;

/** One function in a stack of its own, with the stream and buckets it is given. */
function functionStack(props: Partial<PipelineFunctionProps> = {}, bundle = true) {
  const app = new App({ context: bundle ? {} : { 'aws:cdk:bundling-stacks': [] } });
  const stack = new Stack(app, 'FunctionStack');
  const fn = new PipelineFunction(stack, 'EndpointFunction', {
    functionKey: KEY,
    definition,
    functionName: `test-${KEY}`,
    stream: new Stream(stack, 'Stream'),
    dataBucket: new Bucket(stack, 'DataBucket'),
    artifactsBucket: new Bucket(stack, 'ArtifactsBucket'),
    ...props,
  });
  return { stack, fn, template: Template.fromStack(stack) };
}

/**
 * The version string the installed S3 client carries in its code (its user agent), which is what
 * a bundle of that client contains; package.json's may be newer than the one built into the code.
 */
function installedS3ClientCodeVersion(): string {
  const entry = createRequire(import.meta.url).resolve('@aws-sdk/client-s3');
  const code = readFileSync(join(dirname(entry), 'index.js'), 'utf8');
  const version = /var version = "(\d+\.\d+\.\d+)";\s*var packageInfo/.exec(code)?.[1];
  if (!version)
    throw new Error(
      `no "var version = …; var packageInfo" in ${entry}: the SDK's build changed, find its embedded version another way`,
    );
  return version;
}

describe('PipelineFunction', () => {
  describe('bundle (esbuild)', () => {
    let code: string;

    beforeAll(() => {
      // Prepare / Act: one real esbuild run, shared by the tests below
      const { stack, fn } = functionStack();
      const resource = Template.fromStack(stack).toJSON().Resources[
        stack.getLogicalId(fn.function.node.defaultChild as never)
      ] as { Properties: { Code: { S3Key: string } } };
      const assetHash = resource.Properties.Code.S3Key.replace(/\.zip$/, '');
      code = readFileSync(join(Stage.of(stack)?.outdir ?? '', `asset.${assetHash}`, 'index.js'), 'utf8');
    });

    it('carries the AWS SDK the tests ran with instead of requiring the Lambda runtime one', () => {
      // Assess: only the optional CRT signer (SigV4a, loaded on demand) stays a require
      const required = [...code.matchAll(/require\("(@aws-sdk\/[^"]+|@smithy\/[^"]+)"\)/g)].map((m) => m[1]);
      expect(required.filter((name) => name !== '@aws-sdk/signature-v4-crt')).toEqual([]);
      expect(code).toContain('aws-sdk-js');
      expect(code).toContain(`"${installedS3ClientCodeVersion()}"`);
    });
  });

  it('lets the function write its own log group and nothing else of CloudWatch Logs, with no managed policy', () => {
    // Act
    const { stack, fn, template } = functionStack({}, false);
    const roleId = stack.getLogicalId(fn.function.role?.node.defaultChild as never);

    // Assess
    template.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: Match.objectLike({
        Statement: [Match.objectLike({ Principal: { Service: 'lambda.amazonaws.com' } })],
      }),
      ManagedPolicyArns: Match.absent(),
    });
    const statements = Object.values(template.findResources('AWS::IAM::Policy'))
      .filter((policy) => JSON.stringify(policy.Properties.Roles).includes(roleId))
      .flatMap(
        (policy) => policy.Properties.PolicyDocument.Statement as { Action: unknown; Resource: unknown }[],
      );
    const onLogs = statements.filter((s) => JSON.stringify(s.Action).includes('logs:'));
    expect(onLogs).toEqual([
      {
        Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        Effect: 'Allow',
        Resource: {
          'Fn::GetAtt': [stack.getLogicalId(fn.node.findChild('LogGroup').node.defaultChild as never), 'Arn'],
        },
      },
    ]);
    // The only statement on every resource is X-Ray's (it has no resource-level permissions).
    expect(statements.filter((s) => s.Resource === '*').map((s) => s.Action)).toEqual([
      ['xray:PutTraceSegments', 'xray:PutTelemetryRecords'],
    ]);
  });

  it('grants each Function URL caller both lambda:InvokeFunctionUrl and lambda:InvokeFunction through the URL', () => {
    // Act
    const { stack, fn, template } = functionStack(
      {
        functionUrlCallers: [
          new ArnPrincipal('arn:aws:iam::111122223333:role/forecast-client'),
          new AccountPrincipal('444455556666'),
        ],
      },
      false,
    );
    const functionArn = { 'Fn::GetAtt': [stack.getLogicalId(fn.function.node.defaultChild as never), 'Arn'] };

    // Assess
    for (const principal of ['arn:aws:iam::111122223333:role/forecast-client', '444455556666']) {
      template.hasResourceProperties('AWS::Lambda::Permission', {
        Action: 'lambda:InvokeFunctionUrl',
        FunctionName: functionArn,
        FunctionUrlAuthType: 'AWS_IAM',
        Principal: principal,
      });
      template.hasResourceProperties('AWS::Lambda::Permission', {
        Action: 'lambda:InvokeFunction',
        FunctionName: functionArn,
        InvokedViaFunctionUrl: true,
        Principal: principal,
      });
    }
    template.resourceCountIs('AWS::Lambda::Permission', 4);
  });

  it('grants no caller anything when none is configured', () => {
    // Act
    const { template } = functionStack({}, false);

    // Assess
    template.resourceCountIs('AWS::Lambda::Url', 1);
    template.resourceCountIs('AWS::Lambda::Permission', 0);
  });
});
