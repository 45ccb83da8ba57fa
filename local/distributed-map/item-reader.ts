import { GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { type CsvDelimiter, parseCsv } from '../../core/data/csv.js';
import type { DistributedMapState } from './map-state.js';
import { PayloadTemplate, queryPath } from './template.js';

/** The error AWS fails a Map with when its items cannot be read. */
export class ItemReaderFailed extends Error {
  override name = 'States.ItemReaderFailed';
}

const DELIMITERS: Record<string, CsvDelimiter> = { COMMA: ',', SEMICOLON: ';', TAB: '\t' };

/**
 * The items of a Distributed Map, as AWS reads them: an S3 object (`s3:getObject`: a JSON array,
 * JSON Lines, or CSV with its header in the first row or given), at most MaxItems of them; without
 * an ItemReader, the array at ItemsPath (default: the state's input).
 */
export async function readItems(
  state: DistributedMapState,
  input: unknown,
  context: unknown,
  s3: () => S3Client,
): Promise<unknown[]> {
  const reader = state.ItemReader;
  if (!reader) {
    const items = state.ItemsPath ? await queryPath(state.ItemsPath, input, context) : input;
    if (!Array.isArray(items))
      throw Object.assign(new Error('the Map state input (or its ItemsPath) is not an array'), {
        name: 'States.Runtime',
      });
    return items;
  }
  const config = reader.ReaderConfig ?? {};
  const { Bucket, Key } = (await new PayloadTemplate(reader.Parameters ?? {}).evaluate(input, context)) as {
    Bucket?: string;
    Key?: string;
  };
  let text: string;
  try {
    const object = await s3().send(new GetObjectCommand({ Bucket, Key }));
    text = (await object.Body?.transformToString('utf8')) ?? '';
  } catch (error) {
    throw new ItemReaderFailed(`s3:getObject of s3://${Bucket}/${Key} failed: ${(error as Error).message}`);
  }
  const items = parseItems(text, config, `s3://${Bucket}/${Key}`);
  const max = config.MaxItemsPath ? await queryPath(config.MaxItemsPath, input, context) : config.MaxItems;
  return typeof max === 'number' && max > 0 ? items.slice(0, max) : items;
}

/** An object's text as items; pure. */
export function parseItems(
  text: string,
  config: NonNullable<DistributedMapState['ItemReader']>['ReaderConfig'] & object,
  where: string,
): unknown[] {
  const type = config.InputType ?? 'JSON';
  try {
    if (type === 'JSON') {
      const items = JSON.parse(text) as unknown;
      if (!Array.isArray(items)) throw new Error('the object is not a JSON array');
      return items;
    }
    if (type === 'JSONL')
      return text
        .split(/\r?\n/)
        .filter((line) => line.trim() !== '')
        .map((line) => JSON.parse(line) as unknown);
    if (type === 'CSV') {
      const delimiter = DELIMITERS[config.CSVDelimiter ?? 'COMMA'];
      if (!delimiter) throw new Error(`CSVDelimiter ${config.CSVDelimiter} is not supported locally`);
      const given = config.CSVHeaderLocation === 'GIVEN';
      const header = given ? `${(config.CSVHeaders ?? []).join(delimiter)}\n` : '';
      return parseCsv(header + text, delimiter).rows;
    }
    throw new Error(`InputType ${type} is not supported locally (JSON, JSONL, CSV are)`);
  } catch (error) {
    throw new ItemReaderFailed(`${where}: ${(error as Error).message}`);
  }
}
