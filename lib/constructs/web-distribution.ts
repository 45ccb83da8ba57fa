import { Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import {
  AllowedMethods,
  CachePolicy,
  Distribution,
  Function as EdgeFunction,
  FunctionCode,
  FunctionEventType,
  FunctionRuntime,
  HeadersFrameOption,
  HeadersReferrerPolicy,
  OriginRequestPolicy,
  PriceClass,
  ResponseHeadersPolicy,
  ViewerProtocolPolicy,
} from 'aws-cdk-lib/aws-cloudfront';
import { FunctionUrlOrigin, S3BucketOrigin } from 'aws-cdk-lib/aws-cloudfront-origins';
import { Policy } from 'aws-cdk-lib/aws-iam';
import type { IFunctionUrl } from 'aws-cdk-lib/aws-lambda';
import { BlockPublicAccess, Bucket, BucketEncryption, ObjectOwnership } from 'aws-cdk-lib/aws-s3';
import { BucketDeployment, Source } from 'aws-cdk-lib/aws-s3-deployment';
import { Construct, type IConstruct } from 'constructs';
import { flattenReference } from './nag-acknowledgments.js';

/** A system's REST API behind the distribution, at `/api/<system>/*`. */
export interface WebDistributionApi {
  /** The system's name: its path segment (`online` → `/api/online/*`). */
  readonly system: string;
  /**
   * The IAM-authenticated Function URL that serves it. CloudFront signs each request to it (origin
   * access control) and may invoke only this function, only through the URL.
   */
  readonly functionUrl: IFunctionUrl;
}

export interface WebDistributionProps {
  /** The built web front end (`npm run build:web` → web/dist), uploaded to the private site bucket. */
  readonly webAssetDirectory: string;
  /** The systems whose APIs the pages call on the same origin. */
  readonly apis: readonly WebDistributionApi[];
  /**
   * Where `/` sends a viewer (`/systems/online`): the console's other pages need the local console's
   * API, which the distribution does not serve.
   * @default - `/` serves the front end's own start page
   */
  readonly homePath?: string;
  /**
   * ARN of a WAF web ACL (scope CLOUDFRONT, in us-east-1) in front of the distribution: an IP allow
   * list is the way to keep the dashboard to an office or a VPN.
   * @default - no web ACL: anyone with the address reaches the pages and the APIs' GET routes
   */
  readonly webAclId?: string;
  /** @default RemovalPolicy.DESTROY (the buckets are emptied on delete) */
  readonly removalPolicy?: RemovalPolicy;
  /** @default 90 - days the access logs are kept */
  readonly logRetentionDays?: number;
}

/** The system APIs' path segment: a name in the same shape system names have. */
const SYSTEM_NAME = /^[a-z][a-z0-9-]*$/;

/**
 * The web front end on AWS: its built pages in a private S3 bucket and each system's API, both
 * behind one CloudFront distribution, so the pages call `/api/<system>/…` on their own origin as
 * they do on the local console. S3 and the Function URLs are reached only through CloudFront
 * (origin access control: S3 answers the distribution alone; CloudFront signs API requests with
 * SigV4 for the IAM-authenticated URLs). HTTPS only, security headers on every answer, API answers
 * never cached, access logs kept. Opt-in: without it nothing of the project is public.
 */
export class WebDistribution extends Construct {
  readonly distribution: Distribution;
  readonly siteBucket: Bucket;
  readonly logBucket: Bucket;

  constructor(scope: Construct, id: string, props: WebDistributionProps) {
    super(scope, id);
    const systems = props.apis.map((api) => api.system);
    for (const system of systems)
      if (!SYSTEM_NAME.test(system))
        throw new Error(
          `WebDistribution: API system "${system}" is not a system name: expected lower-case letters, digits and dashes (it becomes the path /api/${system}/*)`,
        );
    const twice = systems.find((system, i) => systems.indexOf(system) !== i);
    if (twice)
      throw new Error(
        `WebDistribution: the API of system "${twice}" is given twice; expected one per system`,
      );
    if (props.homePath !== undefined && !/^\/[\w\-./]*$/.test(props.homePath))
      throw new Error(
        `WebDistribution: homePath "${props.homePath}" must be a path on the site, like /systems/online`,
      );

    const removalPolicy = props.removalPolicy ?? RemovalPolicy.DESTROY;
    const autoDeleteObjects = removalPolicy === RemovalPolicy.DESTROY;

    // CloudFront's standard logs are delivered with an ACL grant, so this bucket keeps ACLs on
    // (owner preferred); the site bucket's access logs go here too.
    this.logBucket = new Bucket(this, 'LogBucket', {
      encryption: BucketEncryption.S3_MANAGED,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_PREFERRED,
      enforceSSL: true,
      removalPolicy,
      autoDeleteObjects,
      lifecycleRules: [{ id: 'expire-logs', expiration: Duration.days(props.logRetentionDays ?? 90) }],
    });
    Validations.of(this.logBucket).acknowledge({
      id: 'AwsSolutions-S1',
      reason:
        'this is the access-log bucket of the distribution and the site bucket; logging its own access would write logs about writing logs',
    });

    this.siteBucket = new Bucket(this, 'SiteBucket', {
      encryption: BucketEncryption.S3_MANAGED,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      serverAccessLogsBucket: this.logBucket,
      serverAccessLogsPrefix: 's3-site/',
      removalPolicy,
      autoDeleteObjects,
    });

    const securityHeaders = new ResponseHeadersPolicy(this, 'SecurityHeaders', {
      comment: 'HSTS, no sniffing, no framing, same-origin scripts only',
      securityHeadersBehavior: {
        // uPlot and Preact set element styles from script: inline styles are the one exception.
        contentSecurityPolicy: {
          contentSecurityPolicy:
            "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; object-src 'none'; base-uri 'self'; frame-ancestors 'none'",
          override: true,
        },
        strictTransportSecurity: {
          accessControlMaxAge: Duration.days(730),
          includeSubdomains: true,
          override: true,
        },
        contentTypeOptions: { override: true },
        frameOptions: { frameOption: HeadersFrameOption.DENY, override: true },
        referrerPolicy: {
          referrerPolicy: HeadersReferrerPolicy.STRICT_ORIGIN_WHEN_CROSS_ORIGIN,
          override: true,
        },
      },
    });

    // The front end routes in the browser (/systems/online is a page, not a file): a path whose
    // last segment has no extension gets index.html. Only on the site's behaviour, so an API's
    // own 404 stays a 404 (a distribution-wide error page would turn it into the app).
    const pageRoutes = new EdgeFunction(this, 'PageRoutes', {
      runtime: FunctionRuntime.JS_2_0,
      comment: 'Serves index.html for the front end page routes',
      code: FunctionCode.fromInline(pageRoutesCode(props.homePath)),
    });

    this.distribution = new Distribution(this, 'Distribution', {
      comment: `Web front end and the APIs of ${systems.join(', ') || 'no system'}`,
      defaultRootObject: 'index.html',
      priceClass: PriceClass.PRICE_CLASS_100,
      ...(props.webAclId ? { webAclId: props.webAclId } : {}),
      enableLogging: true,
      logBucket: this.logBucket,
      logFilePrefix: 'cloudfront/',
      defaultBehavior: {
        origin: S3BucketOrigin.withOriginAccessControl(this.siteBucket),
        viewerProtocolPolicy: ViewerProtocolPolicy.HTTPS_ONLY,
        allowedMethods: AllowedMethods.ALLOW_GET_HEAD,
        cachePolicy: CachePolicy.CACHING_OPTIMIZED,
        responseHeadersPolicy: securityHeaders,
        compress: true,
        functionAssociations: [{ function: pageRoutes, eventType: FunctionEventType.VIEWER_REQUEST }],
      },
      additionalBehaviors: Object.fromEntries(
        props.apis.map((api) => [
          `/api/${api.system}/*`,
          {
            origin: FunctionUrlOrigin.withOriginAccessControl(api.functionUrl),
            viewerProtocolPolicy: ViewerProtocolPolicy.HTTPS_ONLY,
            // Read-only from the browser: a signed POST would need the body's hash from the viewer.
            allowedMethods: AllowedMethods.ALLOW_GET_HEAD,
            // Live data: every request reaches the function, the query string (model, since) with it.
            cachePolicy: CachePolicy.CACHING_DISABLED,
            // Not the viewer's Host: the Function URL answers its own host name only.
            originRequestPolicy: OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER,
            responseHeadersPolicy: securityHeaders,
          },
        ]),
      ),
    });

    const deployment = new BucketDeployment(this, 'Site', {
      sources: [Source.asset(props.webAssetDirectory)],
      destinationBucket: this.siteBucket,
      // A new build replaces the pages everywhere at once, not as the edge caches expire.
      distribution: this.distribution,
      distributionPaths: ['/*'],
      memoryLimit: 256,
    });
    this.acknowledgeFindings(deployment, props.webAclId !== undefined);
  }

  /** cdk-nag findings that are choices, each with its reason (see docs: dashboard.md). */
  private acknowledgeFindings(deployment: BucketDeployment, hasWebAcl: boolean): void {
    Validations.of(this.distribution).acknowledge(
      {
        id: 'AwsSolutions-CFR4',
        reason:
          'the default *.cloudfront.net certificate allows TLSv1 at the viewer and cannot be changed; a custom domain with its own certificate sets TLSv1.2_2021',
      },
      {
        id: 'AwsSolutions-CFR1',
        reason:
          'no geographic restriction: who may reach the dashboard is decided by the WAF IP allow list (webAclId), not by country',
      },
      ...(hasWebAcl
        ? []
        : [
            {
              id: 'AwsSolutions-CFR2',
              reason:
                'the distribution is opt-in and serves read-only dashboards; pass webAclId (a WAF IP allow list) to restrict who reaches it, as docs: dashboard.md explains',
            },
          ]),
    );
    // CDK's bucket-deployment function: one per stack, shared by every BucketDeployment in it.
    const handlerReason =
      "CDK's BucketDeployment custom resource (it copies the built pages into the site bucket at deploy time); its role, runtime and settings are CDK's";
    Validations.of(deployment.handlerRole).acknowledge({
      id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
      reason: `${handlerReason}: AWSLambdaBasicExecutionRole for its logs`,
    });
    acknowledgeWildcardsOf(
      deployment.handlerRole,
      `${handlerReason}: it reads the uploaded asset, replaces every object of the site bucket and invalidates the distribution`,
    );
    const handler = Stack.of(this)
      .node.children.filter((child) => child.node.id.startsWith('Custom::CDKBucketDeployment'))
      .at(0);
    if (handler)
      Validations.of(handler).acknowledge(
        { id: 'AwsSolutions-L1', reason: handlerReason },
        { id: 'Serverless-LambdaLatestVersion', reason: handlerReason },
        {
          id: 'Serverless-LambdaDLQ',
          reason: `${handlerReason}; CloudFormation invokes it and sees its failures`,
        },
        { id: 'Serverless-LambdaTracing', reason: handlerReason },
        { id: 'Serverless-LambdaDefaultMemorySize', reason: handlerReason },
      );
  }
}

/**
 * Acknowledges AwsSolutions-IAM5 for every wildcard action and resource in the role's default
 * policy, read when CDK validates (after every grant was made). Only for a role CDK builds for
 * itself (the bucket deployment's), whose grants this project does not write.
 */
function acknowledgeWildcardsOf(role: IConstruct, reason: string): void {
  let acknowledged = false;
  role.node.addValidation({
    validate: () => {
      if (acknowledged) return [];
      acknowledged = true;
      const policy = role.node.tryFindChild('DefaultPolicy');
      if (!(policy instanceof Policy)) return [];
      const document = Stack.of(role).resolve(policy.document.toJSON()) as {
        Statement?: { Action?: string | string[]; Resource?: unknown }[];
      };
      const ids = new Set<string>();
      for (const statement of document.Statement ?? []) {
        for (const action of [statement.Action ?? []].flat())
          if (action.includes('*')) ids.add(`AwsSolutions-IAM5[Action::${action}]`);
        for (const resource of [statement.Resource ?? []].flat()) {
          const flat = flattenReference(resource);
          if (flat.includes('*')) ids.add(`AwsSolutions-IAM5[Resource::${flat}]`);
        }
      }
      Validations.of(role).acknowledge(...[...ids].map((id) => ({ id, reason })));
      return [];
    },
  });
}

/**
 * The viewer-request function of the site's behaviour (CloudFront Functions, JS 2.0): `/` to the
 * home page when one is set; page routes (no extension in the last segment) to index.html.
 */
export function pageRoutesCode(homePath: string | undefined): string {
  return `function handler(event) {
  var request = event.request;
  var uri = request.uri;
  var home = ${JSON.stringify(homePath ?? null)};
  if (home !== null && uri === '/') {
    return { statusCode: 302, statusDescription: 'Found', headers: { location: { value: home } } };
  }
  var last = uri.substring(uri.lastIndexOf('/') + 1);
  if (last.indexOf('.') === -1) request.uri = '/index.html';
  return request;
}`;
}
