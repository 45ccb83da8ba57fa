import { describe, expect, it } from 'vitest';
import { configFromContext } from '../../bin/app.js';
import { type AppConfig, defaultConfig, validateConfig } from '../../lib/config/app-config.js';

/** A context reader over a plain object, as `app.node.tryGetContext` would answer. */
const contextOf =
  (values: Record<string, unknown>) =>
  (key: string): unknown =>
    values[key];

describe('validateConfig', () => {
  it('accepts the default configuration unchanged', () => {
    // Act
    const config = validateConfig(defaultConfig);

    // Assess
    expect(config).toEqual(defaultConfig);
  });

  it('rejects a stage that is not lowercase letters, digits or dashes', () => {
    // Prepare
    const config: AppConfig = { ...defaultConfig, stage: 'Prod_1' };

    // Act / Assess
    expect(() => validateConfig(config)).toThrow(
      'stage "Prod_1" must be 1-20 lowercase letters, digits or dashes',
    );
  });

  it('rejects a provisioned stream with zero shards', () => {
    // Prepare
    const config: AppConfig = { ...defaultConfig, stream: { ...defaultConfig.stream, shardCount: 0 } };

    // Act / Assess
    expect(() => validateConfig(config)).toThrow('stream.shardCount must be a whole number >= 1, got 0');
  });

  it('accepts an on-demand stream whatever the shard count', () => {
    // Prepare
    const config: AppConfig = {
      ...defaultConfig,
      stream: { mode: 'on-demand', shardCount: 0, retentionHours: 24 },
    };

    // Act / Assess
    expect(validateConfig(config).stream.mode).toBe('on-demand');
  });

  it('rejects archive expiry that does not come after the move to cold storage', () => {
    // Prepare
    const config: AppConfig = {
      ...defaultConfig,
      retention: {
        ...defaultConfig.retention,
        archiveToColdStorageAfterDays: 30,
        archiveExpireAfterDays: 30,
      },
    };

    // Act / Assess
    expect(() => validateConfig(config)).toThrow(
      'retention.archiveExpireAfterDays (30) must be greater than archiveToColdStorageAfterDays (30)',
    );
  });

  it('rejects a quarantine expiry of zero days, which S3 would refuse at deploy time', () => {
    // Prepare
    const config: AppConfig = {
      ...defaultConfig,
      retention: { ...defaultConfig.retention, quarantineExpireAfterDays: 0 },
    };

    // Act / Assess
    expect(() => validateConfig(config)).toThrow(
      'retention.quarantineExpireAfterDays must be a whole number >= 1 (S3 rejects 0), got 0',
    );
  });

  it('rejects an alarm e-mail that is not an address', () => {
    // Prepare
    const config: AppConfig = { ...defaultConfig, alarmEmail: 'ops-team' };

    // Act / Assess
    expect(() => validateConfig(config)).toThrow('alarmEmail "ops-team" is not an e-mail address');
  });

  it('rejects an access-log expiry of zero days', () => {
    // Prepare
    const config: AppConfig = {
      ...defaultConfig,
      retention: { ...defaultConfig.retention, accessLogsExpireAfterDays: 0 },
    };

    // Act / Assess
    expect(() => validateConfig(config)).toThrow(
      'retention.accessLogsExpireAfterDays must be a whole number >= 1 (S3 rejects 0), got 0',
    );
  });

  it('accepts role ARNs of any partition and account ids as Function URL callers', () => {
    // Prepare
    const callers = [
      'arn:aws:iam::111122223333:role/forecast-client',
      'arn:aws-cn:iam::111122223333:role/service/forecast-client',
      '444455556666',
    ];

    // Act / Assess
    expect(validateConfig({ ...defaultConfig, functionUrlCallers: callers }).functionUrlCallers).toEqual(
      callers,
    );
  });

  it.each([
    ['arn:aws:iam::111122223333:user/alice'],
    ['*'],
    ['4444-5555-6666'],
    ['arn:aws:sts::111122223333:assumed-role/forecast-client/session'],
  ])('rejects the Function URL caller %s: an account id or a role ARN is expected', (caller) => {
    // Act / Assess
    expect(() => validateConfig({ ...defaultConfig, functionUrlCallers: [caller] })).toThrow(
      `functionUrlCallers entry "${caller}" must be a 12-digit account id or an IAM role ARN`,
    );
  });

  it('reports every problem at once', () => {
    // Prepare
    const config: AppConfig = {
      ...defaultConfig,
      stage: '',
      stream: { mode: 'provisioned', shardCount: 1.5, retentionHours: 12 },
    };

    // Act
    const error = (() => {
      try {
        validateConfig(config);
        return undefined;
      } catch (caught) {
        return caught as Error;
      }
    })();

    // Assess
    expect(error?.message.split('\n')).toEqual([
      'Invalid configuration:',
      '  - stage "" must be 1-20 lowercase letters, digits or dashes',
      '  - stream.shardCount must be a whole number >= 1, got 1.5',
      '  - stream.retentionHours must be between 24 and 8760, got 12',
    ]);
  });
});

describe('configFromContext', () => {
  it('returns the defaults when nothing is given', () => {
    // Act
    const config = configFromContext(contextOf({}));

    // Assess
    expect(config).toEqual(defaultConfig);
  });

  it('reads command-line context, which arrives as strings', () => {
    // Prepare
    const context = contextOf({
      stage: 'prod',
      shardCount: '4',
      streamMode: 'on-demand',
      schedulesEnabled: 'false',
      alarmEmail: 'ops@example.com',
      retainData: 'false',
    });

    // Act
    const config = configFromContext(context);

    // Assess
    expect(config).toMatchObject({
      stage: 'prod',
      stream: { mode: 'on-demand', shardCount: 4, retentionHours: defaultConfig.stream.retentionHours },
      schedulesEnabled: false,
      alarmEmail: 'ops@example.com',
      retainData: false,
    });
  });

  it('reads JSON context values from cdk.json as they are', () => {
    // Act
    const config = configFromContext(contextOf({ shardCount: 3, schedulesEnabled: false, retainData: true }));

    // Assess
    expect(config).toMatchObject({ stream: { shardCount: 3 }, schedulesEnabled: false, retainData: true });
  });

  it('retains data by default on the prod stage only', () => {
    // Act
    const prod = configFromContext(contextOf({ stage: 'prod' }));
    const dev = configFromContext(contextOf({ stage: 'dev' }));

    // Assess
    expect(prod.retainData).toBe(true);
    expect(dev.retainData).toBe(false);
  });

  it('falls back to PIPELINE_STAGE and ALARM_EMAIL from the environment, context first', () => {
    // Prepare
    const env = { PIPELINE_STAGE: 'staging', ALARM_EMAIL: 'team@example.com' };

    // Act
    const fromEnv = configFromContext(contextOf({}), env);
    const fromContext = configFromContext(contextOf({ stage: 'qa' }), env);

    // Assess
    expect(fromEnv).toMatchObject({ stage: 'staging', alarmEmail: 'team@example.com' });
    expect(fromContext.stage).toBe('qa');
  });

  it('reads Function URL callers comma-separated from the command line and as a JSON array from cdk.json', () => {
    // Act
    const fromCommandLine = configFromContext(
      contextOf({ functionUrlCallers: 'arn:aws:iam::111122223333:role/forecast-client, 444455556666' }),
    );
    const fromCdkJson = configFromContext(contextOf({ functionUrlCallers: ['444455556666'] }));

    // Assess
    expect(fromCommandLine.functionUrlCallers).toEqual([
      'arn:aws:iam::111122223333:role/forecast-client',
      '444455556666',
    ]);
    expect(fromCdkJson.functionUrlCallers).toEqual(['444455556666']);
    expect(configFromContext(contextOf({})).functionUrlCallers).toEqual([]);
  });

  it.each([
    [{ shardCount: 'four' }, 'Context shardCount must be a whole number, got "four"'],
    [{ shardCount: '' }, 'Context shardCount must be a whole number, got ""'],
    [{ streamMode: 'ondemand' }, 'Context streamMode must be "provisioned" or "on-demand", got "ondemand"'],
    [{ schedulesEnabled: 'no' }, 'Context schedulesEnabled must be true or false, got "no"'],
    [{ retainData: 1 }, 'Context retainData must be true or false, got 1'],
    [{ shardCount: '0' }, 'stream.shardCount must be a whole number >= 1, got 0'],
    [{ stage: 'Prod' }, 'stage "Prod" must be 1-20 lowercase letters, digits or dashes'],
    [
      { functionUrlCallers: { role: 'x' } },
      'Context functionUrlCallers must be a list of strings (a JSON array, or comma-separated), got {"role":"x"}',
    ],
    [{ functionUrlCallers: 'alice' }, 'functionUrlCallers entry "alice" must be a 12-digit account id'],
  ])('rejects %j with a message saying what was expected', (values, message) => {
    // Act / Assess
    expect(() => configFromContext(contextOf(values))).toThrow(message);
  });

  it('deploys no web distribution unless asked, and reads the switch from both kinds of context', () => {
    // Act
    const byDefault = configFromContext(contextOf({}));
    const fromCommandLine = configFromContext(contextOf({ webDistribution: 'true' }));
    const fromCdkJson = configFromContext(contextOf({ webDistribution: false }));

    // Assess
    expect(byDefault.webDistribution).toBe(false);
    expect(fromCommandLine.webDistribution).toBe(true);
    expect(fromCdkJson.webDistribution).toBe(false);
    expect(() => configFromContext(contextOf({ webDistribution: 'yes' }))).toThrow(
      'Context webDistribution must be true or false, got "yes"',
    );
  });
});
