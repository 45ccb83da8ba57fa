import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks, ServerlessChecks } from 'cdk-nag';
import { CDK_JSON_CONTEXT } from './cdk-app.js';

/** The part of CDK's validation-report.json read here. */
interface ValidationReport {
  pluginReports: {
    pluginName: string;
    violations: {
      ruleName: string;
      description: string;
      severity?: string;
      violatingConstructs: { constructPath: string }[];
    }[];
  }[];
}

const NAG_PACKS = new Set(['AwsSolutions', 'Serverless']);
/**
 * Synthesizes an app (with cdk.json's context, as `cdk synth` does) with cdk-nag 3's packs registered as validation plugins (not an Aspect any
 * more) and returns every finding nothing acknowledged, errors and warnings alike, as
 * `<rule id> <construct path>: <message>`. Synthesis throws when a plugin reports a violation;
 * the findings are read from the report CDK writes either way. Any other synthesis error is
 * rethrown, so a broken app cannot pass as "no findings". The output folder is added to
 * `outdirs` for the caller to remove.
 */
export function runNag(build: (app: App) => void, outdirs: string[]): string[] {
  const outdir = mkdtempSync(join(tmpdir(), 'nag-'));
  outdirs.push(outdir);
  // The checks read the templates and construct tree, not the code: skip esbuild.
  const app = new App({ outdir, context: { ...CDK_JSON_CONTEXT, 'aws:cdk:bundling-stacks': [] } });
  build(app);
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app), new ServerlessChecks(app));
  let synthError: unknown;
  try {
    app.synth();
  } catch (error) {
    synthError = error;
  }
  const reportFile = join(outdir, 'validation-report.json');
  if (!existsSync(reportFile)) throw synthError ?? new Error(`synthesis wrote no ${reportFile}`);
  const report = JSON.parse(readFileSync(reportFile, 'utf8')) as ValidationReport;
  const findings = report.pluginReports
    .filter((plugin) => NAG_PACKS.has(plugin.pluginName))
    .flatMap((plugin) =>
      plugin.violations.flatMap((violation) =>
        violation.violatingConstructs.map(
          (construct) =>
            `${violation.ruleName} ${construct.constructPath}: ${violation.description} (${violation.severity ?? 'error'})`,
        ),
      ),
    )
    .sort();
  if (findings.length === 0 && synthError) throw synthError;
  return findings;
}
