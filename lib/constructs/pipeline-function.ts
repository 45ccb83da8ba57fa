import { join } from 'node:path';
import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import type { CfnRole, IPrincipal } from 'aws-cdk-lib/aws-iam';
import type { IStream } from 'aws-cdk-lib/aws-kinesis';
import {
  Architecture,
  type FunctionUrl,
  FunctionUrlAuthType,
  Runtime,
  Tracing,
} from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { REPO_ROOT } from '../config/repo-root.js';
import type { FunctionDefinition } from '../config/system-definition.js';
import { acknowledgeWildcardResources, type WildcardResource } from './nag-acknowledgments.js';
import { grantPrefixAccess } from './prefix-grants.js';

export interface PipelineFunctionProps {
  /** Key of the function in the pipeline definition (`water-train`); the Powertools service name. */
  readonly functionKey: string;
  readonly definition: FunctionDefinition;
  /** Deployed function name, so people can find it in the console. */
  readonly functionName: string;
  readonly stream: IStream;
  readonly dataBucket: IBucket;
  readonly artifactsBucket: IBucket;
  /**
   * How long the function's logs are kept.
   * @default RetentionDays.ONE_MONTH
   */
  readonly logRetention?: RetentionDays;
  /**
   * Log level handed to Powertools.
   * @default 'INFO'
   */
  readonly logLevel?: string;
  /**
   * Recorded in the metadata of every model the function registers.
   * @default 'unknown'
   */
  readonly codeVersion?: string;
  /**
   * Who may call the Function URL (only used when the definition asks for one): each gets
   * `lambda:InvokeFunctionUrl` and `lambda:InvokeFunction` (limited to calls through the URL),
   * which callers of URLs created since October 2025 need both. Principals of another account,
   * or ones CDK cannot attach a policy to (`ArnPrincipal`, `AccountPrincipal`), get them in the
   * function's resource policy.
   * @default - none: only principals of this account whose own policies allow both actions
   */
  readonly functionUrlCallers?: readonly IPrincipal[];
}

/**
 * One Lambda function of the pipeline, built from its definition: bundled with esbuild (no
 * Docker), given the same environment the local runtime sets, and only the access it declares.
 */
export class PipelineFunction extends Construct {
  public readonly function: NodejsFunction;
  /** Present when the definition asks for an HTTPS endpoint. */
  public readonly url?: FunctionUrl;

  constructor(scope: Construct, id: string, props: PipelineFunctionProps) {
    super(scope, id);
    const { definition } = props;

    // An explicit log group (instead of the deprecated logRetention custom resource) so retention
    // is plain CloudFormation and the group is removed with the stack.
    const logGroup = new LogGroup(this, 'LogGroup', {
      logGroupName: `/aws/lambda/${props.functionName}`,
      retention: props.logRetention ?? RetentionDays.ONE_MONTH,
      removalPolicy: RemovalPolicy.DESTROY,
    });

    this.function = new NodejsFunction(this, 'Function', {
      functionName: props.functionName,
      description: definition.description,
      entry: join(REPO_ROOT, definition.entry),
      handler: 'handler',
      projectRoot: REPO_ROOT,
      depsLockFilePath: join(REPO_ROOT, 'package-lock.json'),
      runtime: Runtime.NODEJS_22_X,
      architecture: Architecture.ARM_64,
      memorySize: definition.memoryMb,
      timeout: Duration.seconds(definition.timeoutSeconds),
      tracing: Tracing.ACTIVE,
      logGroup,
      environment: {
        DATA_BUCKET: props.dataBucket.bucketName,
        ARTIFACTS_BUCKET: props.artifactsBucket.bucketName,
        STREAM_NAME: props.stream.streamName,
        POWERTOOLS_SERVICE_NAME: props.functionKey,
        POWERTOOLS_LOG_LEVEL: props.logLevel ?? 'INFO',
        CODE_VERSION: props.codeVersion ?? 'unknown',
        // Stack traces point at the TypeScript sources instead of the minified bundle.
        NODE_OPTIONS: '--enable-source-maps',
      },
      bundling: {
        minify: true,
        sourceMap: true,
        target: 'node22',
        // CJS: the handlers use no top-level await, and CJS needs no banner shims (the one
        // import.meta use, the fit worker's path, falls back to __dirname).
        format: OutputFormat.CJS,
        // That fallback is deliberate: esbuild's warning about the empty import.meta is noise.
        esbuildArgs: { '--log-override:empty-import-meta': 'silent' },
        // The pinned @aws-sdk/* of package-lock.json, the one every test ran with, instead of
        // whichever SDK the Lambda runtime carries that day. It also makes a bundle run as is in
        // a plain Node.js process (LocalStack's local executor).
        bundleAwsSDK: true,
      },
    });

    // Writing its own log group is all the logging the function needs: the AWS managed
    // AWSLambdaBasicExecutionRole CDK attaches would let it create and write any log group.
    const role = this.function.role;
    if (!role) throw new Error(`${this.node.path}: NodejsFunction created no execution role`);
    // (An escape hatch: NodejsFunction has no option to leave it out. Unset on the L1 resource,
    // not overridden in the template, so what cdk-nag reads is what deploys.)
    (role.node.defaultChild as CfnRole).managedPolicyArns = undefined;
    logGroup.grantWrite(this.function);

    acknowledgeWildcardResources(role, [
      {
        resource: '*',
        reason:
          'xray:PutTraceSegments and xray:PutTelemetryRecords (active tracing) have no resource-level permissions; no other action of this role is granted on *',
      },
      ...this.grantAccess(props),
    ]);
    const pinnedRuntime =
      'nodejs22.x on purpose: the bundles target node22 and the tests and the local runtime run on Node 20/22; a newer runtime is a deliberate upgrade together with the esbuild target';
    Validations.of(this.function).acknowledge(
      { id: 'AwsSolutions-L1', reason: pinnedRuntime },
      { id: 'Serverless-LambdaLatestVersion', reason: pinnedRuntime },
      {
        id: 'Serverless-LambdaDLQ',
        reason:
          'never invoked asynchronously, where a DLQ applies: Step Functions and Function URLs invoke synchronously and see the error, and the Kinesis event source has its own SQS on-failure destination',
      },
    );

    if (definition.functionUrl) {
      // IAM auth: callers sign requests (SigV4); nothing is public.
      this.url = this.function.addFunctionUrl({ authType: FunctionUrlAuthType.AWS_IAM });
      // grantInvokeUrl grants both actions such a caller needs: lambda:InvokeFunctionUrl, and
      // lambda:InvokeFunction with the condition lambda:InvokedViaFunctionUrl, so a caller of the
      // URL cannot invoke the function directly, around it.
      for (const caller of props.functionUrlCallers ?? []) this.function.grantInvokeUrl(caller);
    }
  }

  /**
   * Turns the definition's declared access into grants on exactly its prefixes (grantPrefixAccess);
   * nothing else is granted. Returns the object ARNs granted, with the reason for cdk-nag.
   */
  private grantAccess(props: PipelineFunctionProps): WildcardResource[] {
    const { access } = props.definition;
    const grantee = this.function;
    const wildcards = [
      ...grantPrefixAccess(grantee, props.dataBucket, 'data', access.dataBucket),
      ...grantPrefixAccess(grantee, props.artifactsBucket, 'artifacts', access.artifactsBucket),
    ];
    if (access.stream === 'read') props.stream.grantRead(grantee);
    else if (access.stream === 'write') props.stream.grantWrite(grantee);
    else if (access.stream === 'writeAndReadBack') {
      // grantWrite includes ListShards; reading back needs only an iterator and the records.
      props.stream.grantWrite(grantee);
      props.stream.grant(grantee, 'kinesis:GetShardIterator', 'kinesis:GetRecords');
    }
    return wildcards;
  }
}
