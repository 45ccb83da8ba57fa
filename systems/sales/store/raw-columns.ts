import type { TableColumnType } from '../../../lib/config/system-definition.js';
import { SALES_FIELDS } from '../records/record-spec.js';

const RAW_TYPES: Readonly<Record<string, TableColumnType>> = {
  store: 'int',
  dayOfWeek: 'int',
  sales: 'bigint',
  customers: 'bigint',
  open: 'int',
  promo: 'int',
  schoolHoliday: 'int',
  competitionDistance: 'double',
  promo2: 'boolean',
};

/**
 * Columns of the raw table over ingest's JSON lines: every field of both kinds (a profile's line
 * reads its sales fields as null, and the other way round). Athena's JSON SerDe matches names
 * case-insensitively.
 */
export const SALES_RAW_COLUMNS: readonly { readonly name: string; readonly type: TableColumnType }[] =
  SALES_FIELDS.map((name) => ({ name, type: RAW_TYPES[name] ?? 'string' }));
