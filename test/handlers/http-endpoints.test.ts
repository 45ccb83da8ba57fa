import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { echo, truncate } from '../../lambdas/platform/http.js';
import { startTestEmulators, type TestEmulators } from '../support/emulators.js';

/**
 * The two HTTP endpoints (water forecast, sensors clustering) called directly with Function URL
 * events, against an empty S3 emulator: a request the endpoint refuses gets a 400 before any S3
 * call, and one it accepts gets as far as "no model yet" (404).
 */

let emulators: TestEmulators;
let forecast: typeof import('../../systems/water/handlers/forecast.js');
let endpoint: typeof import('../../systems/sensors/handlers/endpoint.js');
let s3Calls: string[] = [];

type S3Like = {
  middlewareStack: { add(middleware: never, options: { step: 'initialize'; name: string }): void };
};

/** Records the name of every S3 command a handler sends. */
function countS3Calls(client: S3Like): void {
  const middleware =
    (next: (args: unknown) => Promise<unknown>, context: { commandName?: string }) =>
    async (args: unknown) => {
      s3Calls.push(context.commandName ?? 'unknown');
      return next(args);
    };
  client.middlewareStack.add(middleware as never, { step: 'initialize', name: 'test-count-s3-calls' });
}

beforeAll(async () => {
  emulators = await startTestEmulators({ kinesis: false });
  // Handlers build their S3 client at module load: import them once the environment is set.
  forecast = await import('../../systems/water/handlers/forecast.js');
  endpoint = await import('../../systems/sensors/handlers/endpoint.js');
  countS3Calls(forecast.s3 as unknown as S3Like);
  countS3Calls(endpoint.s3 as unknown as S3Like);
});
afterAll(async () => emulators?.stop());
afterEach(() => {
  s3Calls = [];
});

/** A Function URL event (payload 2.0), as AWS and the local function URL server send it. */
function httpEvent(request: {
  query?: Record<string, string>;
  body?: string;
  base64?: boolean;
}): APIGatewayProxyEventV2 {
  const now = Date.now();
  const body = request.base64 && request.body ? Buffer.from(request.body).toString('base64') : request.body;
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath: '/',
    rawQueryString: new URLSearchParams(request.query).toString(),
    headers: { 'content-type': 'application/json' },
    ...(request.query ? { queryStringParameters: request.query } : {}),
    requestContext: {
      accountId: '000000000000',
      apiId: 'test',
      domainName: '127.0.0.1',
      domainPrefix: 'test',
      http: {
        method: body === undefined ? 'GET' : 'POST',
        path: '/',
        protocol: 'HTTP/1.1',
        sourceIp: '127.0.0.1',
        userAgent: 'vitest',
      },
      requestId: `${now}`,
      routeKey: '$default',
      stage: '$default',
      time: new Date(now).toUTCString(),
      timeEpoch: now,
    },
    isBase64Encoded: request.base64 ?? false,
    ...(body === undefined ? {} : { body }),
  };
}

function errorOf(response: APIGatewayProxyStructuredResultV2): string {
  return (JSON.parse(response.body ?? '{}') as { error: string }).error;
}

const FIVE_MB = 'x'.repeat(5 * 1024 * 1024);
const WATER_EXAMPLE = '{"horizon": 24, "temperatures": [...]}';
const SENSORS_EXAMPLE = '{"features": {"temperature_mean": 61.2, …}}';

describe('water forecast endpoint: request bodies', () => {
  it.each([
    ['null', 'null', 'null'],
    ['an array', '[24]', 'an array ([24])'],
    ['a number', '24', 'a number (24)'],
    ['a string', '"24"', 'a string ("24")'],
  ])('refuses a body that is JSON but %s with a 400, before reading S3', async (_name, body, described) => {
    // Act
    const response = await forecast.handler(httpEvent({ body }));

    // Assess
    expect(response.statusCode).toBe(400);
    expect(errorOf(response)).toBe(
      `the request body must be a JSON object such as ${WATER_EXAMPLE}, got ${described}`,
    );
    expect(s3Calls).toEqual([]);
  });

  it('refuses a base64-encoded null body the same way', async () => {
    // Act
    const response = await forecast.handler(httpEvent({ body: 'null', base64: true }));

    // Assess
    expect(response.statusCode).toBe(400);
    expect(errorOf(response)).toMatch(/^the request body must be a JSON object .*, got null$/);
  });

  it('refuses a body that is not JSON, saying what to send', async () => {
    // Act
    const response = await forecast.handler(httpEvent({ body: 'horizon=24' }));

    // Assess
    expect(response.statusCode).toBe(400);
    expect(errorOf(response)).toBe(`the request body is not JSON; send an object such as ${WATER_EXAMPLE}`);
  });
});

describe('water forecast endpoint: horizon', () => {
  it.each(['0x10', '1e1', ' 24', '24 ', '+24', '24.0', '-1', '0', '337', '', '24,48'])(
    'refuses ?horizon=%j with a 400 saying decimal digits from 1 to 336 are expected',
    async (horizon) => {
      // Act
      const response = await forecast.handler(httpEvent({ query: { horizon } }));

      // Assess
      expect(response.statusCode).toBe(400);
      expect(errorOf(response)).toBe(
        `horizon must be a whole number from 1 to 336 in decimal digits (e.g. ?horizon=24), got ${JSON.stringify(horizon)}`,
      );
      expect(s3Calls).toEqual([]);
    },
  );

  it.each([
    ['true', 'true'],
    ['[24]', '[24]'],
    ['"24"', '"24"'],
    ['24.5', '24.5'],
    ['0', '0'],
    ['null', 'null'],
    ['{"hours": 24}', '{"hours":24}'],
  ])('refuses {"horizon": %s} with a 400 saying a JSON whole number is expected', async (value, shown) => {
    // Act
    const response = await forecast.handler(httpEvent({ body: `{"horizon": ${value}}` }));

    // Assess
    expect(response.statusCode).toBe(400);
    expect(errorOf(response)).toBe(
      `horizon must be a whole number from 1 to 336 as a JSON number (e.g. {"horizon": 24}), got ${shown}`,
    );
    expect(s3Calls).toEqual([]);
  });

  it.each([
    ['?horizon=12', { query: { horizon: '12' } }],
    ['?horizon=336', { query: { horizon: '336' } }],
    ['no horizon (24 by default)', {}],
    ['{"horizon": 1}', { body: '{"horizon": 1}' }],
    ['{"horizon": 24.0}', { body: '{"horizon": 24.0}' }],
  ])('accepts %s and goes on to look for the model', async (_name, request) => {
    // Act
    const response = await forecast.handler(httpEvent(request));

    // Assess: the S3 emulator is empty, so there is no model to forecast with
    expect(response.statusCode).toBe(404);
    expect(errorOf(response)).toBe(
      'there is no water forecast model yet: run the water-init-model state machine',
    );
    expect(s3Calls.length).toBeGreaterThan(0);
  });
});

describe('water forecast endpoint: echoed input is bounded', () => {
  it('shows at most 80 characters of a 5 MB horizon', async () => {
    // Act
    const response = await forecast.handler(httpEvent({ query: { horizon: FIVE_MB } }));

    // Assess
    expect(response.statusCode).toBe(400);
    expect(errorOf(response)).toBe(
      `horizon must be a whole number from 1 to 336 in decimal digits (e.g. ?horizon=24), got "${'x'.repeat(80)}…"`,
    );
  });

  it('shows at most 80 characters of a 5 MB pipeline name', async () => {
    // Act
    const response = await forecast.handler(httpEvent({ body: JSON.stringify({ pipeline: FIVE_MB }) }));

    // Assess
    expect(response.statusCode).toBe(404);
    expect(errorOf(response)).toBe(
      `this is the water forecast endpoint; no model for pipeline "${'x'.repeat(80)}…"`,
    );
    expect((response.body ?? '').length).toBeLessThan(200);
  });
});

describe('sensors clustering endpoint: request bodies', () => {
  it.each([
    ['null', 'null', 'null'],
    ['an array', '[{"features": {}}]', 'an array ([{"features":{}}])'],
    ['a number', '3', 'a number (3)'],
    ['a string', '"sensor-001"', 'a string ("sensor-001")'],
  ])('refuses a body that is JSON but %s with a 400, before reading S3', async (_name, body, described) => {
    // Act
    const response = await endpoint.handler(httpEvent({ body }));

    // Assess
    expect(response.statusCode).toBe(400);
    expect(errorOf(response)).toBe(
      `the request body must be a JSON object such as ${SENSORS_EXAMPLE}, got ${described}`,
    );
    expect(s3Calls).toEqual([]);
  });

  it('bounds what it echoes of a huge array body', async () => {
    // Act
    const response = await endpoint.handler(httpEvent({ body: JSON.stringify([FIVE_MB]) }));

    // Assess
    expect(response.statusCode).toBe(400);
    expect(errorOf(response)).toBe(
      `the request body must be a JSON object such as ${SENSORS_EXAMPLE}, got an array (["${'x'.repeat(78)}…)`,
    );
  });
});

describe('sensors clustering endpoint: sensorId and day', () => {
  it.each([
    ['no parameters', {}],
    ['no day', { sensorId: 'sensor-001' }],
    ['no sensorId', { day: '2024-03-05' }],
  ])('answers %s with a 400 saying what to give', async (_name, query) => {
    // Act
    const response = await endpoint.handler(httpEvent({ query }));

    // Assess
    expect(response.statusCode).toBe(400);
    expect(errorOf(response)).toBe('give ?sensorId=…&day=YYYY-MM-DD, or POST {"features": {...}}');
    expect(s3Calls).toEqual([]);
  });

  it.each(['2024-02-30', '2023-02-29', '2024-13-01', '2024-04-31', '2024-3-5', '2024-03-05T00:00:00Z'])(
    'refuses day=%s with a 400: it is not a calendar day written YYYY-MM-DD',
    async (day) => {
      // Act
      const response = await endpoint.handler(httpEvent({ query: { sensorId: 'sensor-001', day } }));

      // Assess
      expect(response.statusCode).toBe(400);
      expect(errorOf(response)).toBe(
        `day must be a calendar day written YYYY-MM-DD (e.g. 2024-03-05), got ${JSON.stringify(day)}`,
      );
      expect(s3Calls).toEqual([]);
    },
  );

  it('refuses a sensorId with a control character, showing it escaped', async () => {
    // Act
    const response = await endpoint.handler(
      httpEvent({ query: { sensorId: 'sensor\u0000-001', day: '2024-03-05' } }),
    );

    // Assess
    expect(response.statusCode).toBe(400);
    expect(errorOf(response)).toBe(
      'sensorId "sensor\\u0000-001" contains the control character \\u0000 at index 6; identifiers must be printable text',
    );
    expect(s3Calls).toEqual([]);
  });

  it('refuses a 5 MB sensorId with a short message', async () => {
    // Act
    const response = await endpoint.handler(httpEvent({ query: { sensorId: FIVE_MB, day: '2024-03-05' } }));

    // Assess
    expect(response.statusCode).toBe(400);
    expect(errorOf(response)).toBe(`sensorId must be 1-128 characters, got ${FIVE_MB.length}`);
    expect(s3Calls).toEqual([]);
  });

  it.each([
    ['a stored sensor-day on a leap day', { query: { sensorId: 'sensor-001', day: '2024-02-29' } }],
    ['a feature row of its own', { body: '{"features": {"temperature_mean": 61.2}}' }],
  ])('accepts %s and goes on to look for the champion', async (_name, request) => {
    // Act
    const response = await endpoint.handler(httpEvent(request));

    // Assess: the S3 emulator is empty, so there is no champion to cluster with
    expect(response.statusCode).toBe(404);
    expect(errorOf(response)).toBe(
      'no champion clustering model yet: run the sensors-training state machine',
    );
    expect(s3Calls.length).toBeGreaterThan(0);
  });
});

describe('HTTP helpers: truncate and echo', () => {
  it('truncate keeps short text and cuts long text at 80 characters with "…"', () => {
    // Prepare / Act / Assess
    expect(truncate('x'.repeat(80))).toBe('x'.repeat(80));
    expect(truncate('x'.repeat(81))).toBe(`${'x'.repeat(80)}…`);
    expect(truncate('abcdef', 3)).toBe('abc…');
  });

  it('truncate never leaves half a surrogate pair', () => {
    // Prepare
    const text = `${'x'.repeat(79)}😀tail`;

    // Act
    const cut = truncate(text);

    // Assess
    expect(cut).toBe(`${'x'.repeat(79)}…`);
  });

  it('echo shows strings as JSON, escapes control characters and bounds every kind of value', () => {
    // Prepare / Act / Assess
    expect(echo('0x10')).toBe('"0x10"');
    expect(echo('a\u0000b\u007fc\u0085')).toBe('"a\\u0000b\\u007fc\\u0085"');
    expect(echo(true)).toBe('true');
    expect(echo(null)).toBe('null');
    expect(echo([24])).toBe('[24]');
    expect(echo(undefined)).toBe('nothing');
    expect(echo({ id: FIVE_MB })).toHaveLength(81);
    expect(echo(FIVE_MB)).toBe(`"${'x'.repeat(80)}…"`);
  });
});
