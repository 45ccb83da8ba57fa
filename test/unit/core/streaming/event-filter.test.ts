import { describe, expect, it } from 'vitest';
import { pipelineFilterPattern, recordMatches } from '../../../../core/streaming/event-filter.js';

const bytes = (value: unknown) => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value));

describe('the event filter a system stream consumer reads through', () => {
  it("lets only the system's envelopes through, as Lambda's filter on data.pipeline does", () => {
    // Prepare
    const pattern = pipelineFilterPattern('online');

    // Act / Assess
    expect(pattern).toEqual({ data: { pipeline: ['online'] } });
    expect(recordMatches(pattern, bytes({ pipeline: 'online', data: { tick: 1 } }))).toBe(true);
    expect(recordMatches(pattern, bytes({ pipeline: 'water', data: {} }))).toBe(false);
    expect(recordMatches(pattern, bytes({ data: { pipeline: 'online' } }))).toBe(false);
  });

  it('drops what cannot match: not JSON, not an object, not UTF-8', () => {
    // Prepare
    const pattern = pipelineFilterPattern('online');

    // Act / Assess
    expect(recordMatches(pattern, bytes('{"pipeline": "online"'))).toBe(false);
    expect(recordMatches(pattern, bytes('["online"]'))).toBe(false);
    expect(recordMatches(pattern, new Uint8Array([0xff, 0xfe]))).toBe(false);
  });
});
