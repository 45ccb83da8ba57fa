import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { Code, FunctionUrlAuthType, Function as LambdaFunction, Runtime } from 'aws-cdk-lib/aws-lambda';
import { afterAll, describe, expect, it } from 'vitest';
import { defaultConfig } from '../../lib/config/app-config.js';
import { pipelineDefinition } from '../../lib/config/pipeline-definition.js';
import {
  pageRoutesCode,
  WebDistribution,
  type WebDistributionProps,
} from '../../lib/constructs/web-distribution.js';
import { DataStack } from '../../lib/stacks/data-stack.js';
import { PipelineStack } from '../../lib/stacks/pipeline-stack.js';
import { systems } from '../../systems/index.js';
import { CDK_JSON_CONTEXT } from '../support/cdk-app.js';
import { runNag } from '../support/nag-findings.js';

/** CloudFront's managed CachingDisabled policy. */
const CACHING_DISABLED = '4135ea2d-6df8-44a3-9df3-4b5a84be39ad';
/** CloudFront's managed AllViewerExceptHostHeader origin request policy. */
const ALL_VIEWER_EXCEPT_HOST = 'b689b0a8-53d0-40ab-baf2-68738e2966ac';

const temporary: string[] = [];
afterAll(() => {
  for (const dir of temporary) rmSync(dir, { recursive: true, force: true });
});

/** A built front end stand-in: the construct uploads whatever the folder holds. */
function webDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'web-dist-'));
  temporary.push(dir);
  writeFileSync(join(dir, 'index.html'), '<!doctype html><title>test</title>');
  return dir;
}

/** A stack with one IAM-authenticated Function URL per system and the distribution in front of them. */
function build(app: App, systems: string[], options: Partial<WebDistributionProps> = {}): Stack {
  const stack = new Stack(app, 'Web');
  const apis = systems.map((system, i) => {
    const fn = new LambdaFunction(stack, `Api${i}`, {
      runtime: Runtime.NODEJS_22_X,
      handler: 'index.handler',
      code: Code.fromInline('exports.handler = async () => ({})'),
    });
    return { system, functionUrl: fn.addFunctionUrl({ authType: FunctionUrlAuthType.AWS_IAM }) };
  });
  new WebDistribution(stack, 'WebDistribution', { webAssetDirectory: webDir(), apis, ...options });
  return stack;
}

function template(systems: string[], options: Partial<WebDistributionProps> = {}): Template {
  return Template.fromStack(build(new App(), systems, options));
}

/** What the viewer-request function does with a URI (the code run as CloudFront Functions runs it). */
function route(
  homePath: string | undefined,
  uri: string,
): { uri?: string; statusCode?: number; location?: string } {
  const handler = new Function(`${pageRoutesCode(homePath)}; return handler;`)() as (event: unknown) => {
    uri?: string;
    statusCode?: number;
    headers?: { location?: { value: string } };
  };
  const result = handler({ request: { uri } });
  return result.statusCode
    ? { statusCode: result.statusCode, location: result.headers?.location?.value ?? '' }
    : { uri: result.uri ?? '' };
}

describe('WebDistribution', () => {
  it('serves the pages from a private bucket through origin access control, HTTPS only, index.html at the root', () => {
    // Act
    const t = template(['online']);

    // Assess
    t.hasResourceProperties('AWS::S3::Bucket', {
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      },
      LoggingConfiguration: { LogFilePrefix: 's3-site/' },
    });
    t.hasResourceProperties('AWS::CloudFront::OriginAccessControl', {
      OriginAccessControlConfig: Match.objectLike({
        OriginAccessControlOriginType: 's3',
        SigningBehavior: 'always',
      }),
    });
    t.hasResourceProperties('AWS::CloudFront::Distribution', {
      DistributionConfig: Match.objectLike({
        DefaultRootObject: 'index.html',
        Logging: Match.objectLike({ Prefix: 'cloudfront/' }),
        DefaultCacheBehavior: Match.objectLike({
          ViewerProtocolPolicy: 'https-only',
          FunctionAssociations: [Match.objectLike({ EventType: 'viewer-request' })],
        }),
      }),
    });
    // Only CloudFront (this distribution) may read the site bucket.
    t.hasResourceProperties('AWS::S3::BucketPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Action: 's3:GetObject',
            Principal: { Service: 'cloudfront.amazonaws.com' },
            Condition: { StringEquals: { 'AWS:SourceArn': Match.anyValue() } },
          }),
        ]),
      },
    });
  });

  it('sends /api/<system>/* to that system’s Function URL, signed, uncached, with the query string', () => {
    // Act
    const t = template(['online', 'water']);

    // Assess
    const distribution = Object.values(t.findResources('AWS::CloudFront::Distribution'))[0];
    const behaviors = distribution?.Properties.DistributionConfig.CacheBehaviors as Record<string, unknown>[];
    expect(behaviors.map((b) => b.PathPattern)).toEqual(['/api/online/*', '/api/water/*']);
    for (const behavior of behaviors)
      expect(behavior).toMatchObject({
        ViewerProtocolPolicy: 'https-only',
        CachePolicyId: CACHING_DISABLED,
        OriginRequestPolicyId: ALL_VIEWER_EXCEPT_HOST,
        AllowedMethods: ['GET', 'HEAD'],
        ResponseHeadersPolicyId: { Ref: expect.stringMatching(/SecurityHeaders/) },
      });
    t.resourcePropertiesCountIs(
      'AWS::CloudFront::OriginAccessControl',
      { OriginAccessControlConfig: Match.objectLike({ OriginAccessControlOriginType: 'lambda' }) },
      2,
    );
    // CloudFront may invoke each function only through its URL, only from this distribution.
    t.resourcePropertiesCountIs(
      'AWS::Lambda::Permission',
      {
        Action: 'lambda:InvokeFunctionUrl',
        Principal: 'cloudfront.amazonaws.com',
        SourceArn: Match.anyValue(),
      },
      2,
    );
    t.resourcePropertiesCountIs(
      'AWS::Lambda::Permission',
      { Action: 'lambda:InvokeFunction', Principal: 'cloudfront.amazonaws.com', InvokedViaFunctionUrl: true },
      2,
    );
  });

  it('adds security headers to every answer and the web ACL when one is given', () => {
    // Act
    const t = template(['online'], {
      webAclId: 'arn:aws:wafv2:us-east-1:111122223333:global/webacl/office/abc',
    });

    // Assess
    t.hasResourceProperties('AWS::CloudFront::ResponseHeadersPolicy', {
      ResponseHeadersPolicyConfig: Match.objectLike({
        SecurityHeadersConfig: Match.objectLike({
          StrictTransportSecurity: Match.objectLike({ AccessControlMaxAgeSec: 63_072_000 }),
          ContentTypeOptions: { Override: true },
          FrameOptions: { FrameOption: 'DENY', Override: true },
          ContentSecurityPolicy: Match.objectLike({
            ContentSecurityPolicy: Match.stringLikeRegexp("default-src 'self'"),
          }),
        }),
      }),
    });
    t.hasResourceProperties('AWS::CloudFront::Distribution', {
      DistributionConfig: Match.objectLike({
        WebACLId: 'arn:aws:wafv2:us-east-1:111122223333:global/webacl/office/abc',
      }),
    });
  });

  it('refuses an API path that is not a system name, or one system twice', () => {
    // Act / Assess
    expect(() => template(['Online/x'])).toThrow(/"Online\/x" is not a system name/);
    expect(() => template(['online', 'online'])).toThrow(/"online" is given twice/);
    expect(() => template(['online'], { homePath: 'systems/online' })).toThrow(
      /homePath "systems\/online" must be a path/,
    );
  });
});

describe('the page-routes function', () => {
  it('serves index.html for page routes and files as they are', () => {
    // Act / Assess
    expect(route(undefined, '/systems/online')).toEqual({ uri: '/index.html' });
    expect(route(undefined, '/')).toEqual({ uri: '/index.html' });
    expect(route(undefined, '/assets/index-abc123.js')).toEqual({ uri: '/assets/index-abc123.js' });
    expect(route(undefined, '/index.html')).toEqual({ uri: '/index.html' });
  });

  it('sends / to the home page when one is set', () => {
    // Act / Assess
    expect(route('/systems/online', '/')).toEqual({ statusCode: 302, location: '/systems/online' });
    expect(route('/systems/online', '/models')).toEqual({ uri: '/index.html' });
  });
});

describe('cdk-nag on the distribution', () => {
  /** Every finding nothing acknowledged (test/support/nag-findings.ts), the construct's own only. */
  function findings(options: Partial<WebDistributionProps>): string[] {
    return (
      runNag((app) => build(app, ['online'], options), temporary)
        // The stand-in API functions are the test's, not the construct's.
        .filter((finding) => !/ Web\/Api\d+\//.test(finding))
    );
  }

  it('leaves nothing of the construct unacknowledged, with or without a web ACL', () => {
    // Act / Assess
    expect(findings({})).toEqual([]);
    expect(findings({ webAclId: 'arn:aws:wafv2:us-east-1:111122223333:global/webacl/office/abc' })).toEqual(
      [],
    );
  }, 60_000);
});

describe('the stack with webDistribution on', () => {
  const definition = pipelineDefinition(systems);
  const config = { ...defaultConfig, webDistribution: true };
  function pipelineStack(webAssetsDir: string): PipelineStack {
    const app = new App({ context: { ...CDK_JSON_CONTEXT, 'aws:cdk:bundling-stacks': [] } });
    const data = new DataStack(app, 'DataStack', { config });
    return new PipelineStack(app, 'PipelineStack', {
      config,
      stream: data.stream,
      dataBucket: data.dataBucket,
      artifactsBucket: data.artifactsBucket,
      definition,
      webAssetsDir,
    });
  }

  it("puts every system page's API behind the distribution and outputs its address", () => {
    // Act
    const stack = pipelineStack(webDir());
    const template = Template.fromStack(stack);

    // Assess
    const withPages = systems.filter((system) => system.web).map((system) => `/api/${system.name}/*`);
    expect(withPages).toContain('/api/online/*');
    template.hasResourceProperties('AWS::CloudFront::Distribution', {
      DistributionConfig: Match.objectLike({
        CacheBehaviors: withPages.map((pathPattern) => Match.objectLike({ PathPattern: pathPattern })),
      }),
    });
    expect(Object.keys(template.findOutputs('WebUrl'))).toEqual(['WebUrl']);
  });

  it('refuses to synthesize without built pages, and says how to build them', () => {
    // Prepare
    const empty = mkdtempSync(join(tmpdir(), 'web-empty-'));
    temporary.push(empty);

    // Act / Assess
    expect(() => pipelineStack(empty)).toThrow(
      'has no built pages (index.html): run `npm run build:web` first',
    );
  });

  it('deploys no distribution by default', () => {
    // Act
    const app = new App({ context: { ...CDK_JSON_CONTEXT, 'aws:cdk:bundling-stacks': [] } });
    const data = new DataStack(app, 'DataStack', { config: defaultConfig });
    const stack = new PipelineStack(app, 'PipelineStack', {
      config: defaultConfig,
      stream: data.stream,
      dataBucket: data.dataBucket,
      artifactsBucket: data.artifactsBucket,
      definition,
    });

    // Assess
    Template.fromStack(stack).resourceCountIs('AWS::CloudFront::Distribution', 0);
  });
});
