import { describe, expect, it } from 'vitest';
import { parseCsv, toCsv } from '../../../../core/data/csv.js';
import { WATER_FIELDS, waterRecordSpec } from '../../../../systems/water/records/reading.js';
import { waterReading } from '../../../support/factories.js';

const ARRIVAL_MS = Date.UTC(2024, 2, 1, 13);

describe('CSV', () => {
  it('round-trips quoted fields with commas, quotes and newlines through toCsv and parseCsv', () => {
    // Prepare
    const rows = [
      { name: 'a, b', note: 'say "hi"', text: 'line 1\nline 2' },
      { name: '""', note: 'crlf\r\ninside', text: ' padded ' },
      { name: 'plain', note: '', text: ',' },
    ];

    // Act
    const parsed = parseCsv(toCsv(['name', 'note', 'text'], rows));

    // Assess
    expect(parsed.header).toEqual(['name', 'note', 'text']);
    expect(parsed.rows).toEqual(rows);
  });

  it('quotes only the cells that need it', () => {
    // Prepare / Act
    const text = toCsv(['a', 'b', 'c', 'd'], [{ a: 'x,y', b: 'q"q', c: 1.5, d: null }]);

    // Assess
    expect(text).toBe('a,b,c,d\n"x,y","q""q",1.5,\n');
  });

  it('reads CRLF line endings, trims header names and skips blank lines', () => {
    // Prepare
    const text = ' meterId ,consumption\r\nm1,1.5\r\n\r\nm2,2\r\n';

    // Act
    const parsed = parseCsv(text);

    // Assess
    expect(parsed.header).toEqual(['meterId', 'consumption']);
    expect(parsed.rows).toEqual([
      { meterId: 'm1', consumption: '1.5' },
      { meterId: 'm2', consumption: '2' },
    ]);
  });

  it('reads a last line without a newline and fills short rows with empty cells', () => {
    // Prepare / Act
    const parsed = parseCsv('a,b,c\n1,2\n3,4,5');

    // Assess
    expect(parsed.rows).toEqual([
      { a: '1', b: '2', c: '' },
      { a: '3', b: '4', c: '5' },
    ]);
  });

  it('rejects a file without a header line', () => {
    // Prepare / Act / Assess
    expect(() => parseCsv('')).toThrow('CSV has no header line');
    expect(() => parseCsv(' , \n1,2\n')).toThrow('CSV has no header line');
  });
});

describe('waterRecordSpec.fromCsvRow', () => {
  it('turns a CSV row written by toCsv back into the same valid reading', () => {
    // Prepare
    const readings = [waterReading(), waterReading({ temperature: null, holiday: true, consumption: 0 })];
    const { rows } = parseCsv(toCsv(WATER_FIELDS, readings));

    // Act
    const verdicts = rows.map((row) => waterRecordSpec.validate(waterRecordSpec.fromCsvRow(row), ARRIVAL_MS));

    // Assess
    expect(verdicts).toEqual(readings.map((value) => ({ ok: true, value })));
  });

  it('parses numbers, booleans and empty or "null" cells', () => {
    // Prepare
    const row = {
      meterId: 'm1',
      zone: 'z',
      timestamp: '2024-03-01T12:00:00Z',
      consumption: ' 1e-1 ',
      temperature: 'NULL',
      holiday: 'TRUE',
    };

    // Act
    const data = waterRecordSpec.fromCsvRow(row);

    // Assess
    expect(data).toEqual({ ...row, consumption: 0.1, temperature: null, holiday: true });
  });

  it('keeps "NaN" as text so validation rejects it by name', () => {
    // Prepare
    const { rows } = parseCsv(
      'meterId,zone,timestamp,consumption,temperature,holiday\nm1,z,2024-03-01T12:00:00Z,NaN,3,false\n',
    );
    const row = rows[0] ?? {};

    // Act
    const data = waterRecordSpec.fromCsvRow(row);
    const verdict = waterRecordSpec.validate(data, ARRIVAL_MS);

    // Assess
    expect(data).toMatchObject({ consumption: 'NaN' });
    expect(verdict).toEqual({ ok: false, reason: 'consumption must be a finite number, got "NaN"' });
  });

  it.each(['inf', 'Infinity', '0x10', '1,5'])('keeps "%s" as text so it is rejected, not misread', (cell) => {
    // Prepare
    const row = { meterId: 'm1', zone: 'z', timestamp: '2024-03-01T12:00:00Z', holiday: 'false' };

    // Act
    const verdict = waterRecordSpec.validate(
      waterRecordSpec.fromCsvRow({ ...row, consumption: '1', temperature: cell }),
      ARRIVAL_MS,
    );

    // Assess
    expect(verdict.ok).toBe(false);
    expect(verdict.ok ? '' : verdict.reason).toMatch(
      /^temperature must be (a finite number|a number or null)/,
    );
  });

  it('names a column missing from the CSV file', () => {
    // Prepare
    const { rows } = parseCsv(
      'meterId,zone,timestamp,consumption,holiday\nm1,z,2024-03-01T12:00:00Z,1,false\n',
    );

    // Act
    const verdict = waterRecordSpec.validate(waterRecordSpec.fromCsvRow(rows[0] ?? {}), ARRIVAL_MS);

    // Assess
    expect(verdict.ok).toBe(false);
    expect(verdict.ok ? '' : verdict.reason).toMatch(/temperature/);
  });
});
