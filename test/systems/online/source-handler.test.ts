import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { handler } from '../../../systems/online/handlers/source.js';
import { DEFAULT_EPOCH, servedRecordAt, tickAt } from '../../../systems/online/records/generator.js';

const get = (query?: Record<string, string>, method = 'GET') =>
  handler({
    rawPath: '/',
    requestContext: { http: { method } },
    ...(query ? { queryStringParameters: query } : {}),
  } as unknown as APIGatewayProxyEventV2);
const bodyOf = (response: { body?: string }) => JSON.parse(response.body ?? 'null');

describe('online-source handler', () => {
  it('answers GET /?tick=N with record N, the same every time', async () => {
    // Act
    const first = await get({ tick: '4321' });
    const again = await get({ tick: '4321' });
    // Assess
    expect(first.statusCode).toBe(200);
    expect(bodyOf(first)).toEqual(servedRecordAt(4321).data);
    expect(bodyOf(first).tick).toBe(4321);
    expect(again.body).toBe(first.body);
  });

  it('answers GET / with the record of the current 2-second tick', async () => {
    // Prepare
    const before = tickAt(Date.parse(DEFAULT_EPOCH), Date.now());
    // Act
    const response = await get();
    // Assess
    const after = tickAt(Date.parse(DEFAULT_EPOCH), Date.now());
    expect(response.statusCode).toBe(200);
    expect(bodyOf(response).tick).toBeGreaterThanOrEqual(before);
    expect(bodyOf(response).tick).toBeLessThanOrEqual(after);
  });

  it.each(['-1', '1.5', 'abc', '', '99999999999999999'])('answers 400 for ?tick=%j', async (tick) => {
    // Act
    const response = await get({ tick });
    // Assess
    expect(response.statusCode).toBe(400);
    expect(bodyOf(response).error).toContain('tick must be a whole number >= 0 (e.g. ?tick=42)');
  });

  it('answers 405 to anything but GET', async () => {
    // Act
    const response = await get({ tick: '1' }, 'POST');
    // Assess
    expect(response.statusCode).toBe(405);
  });
});
