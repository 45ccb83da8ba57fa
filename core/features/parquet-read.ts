import { parquetMetadata, parquetReadObjects } from 'hyparquet';

/** A column as the file declares it: the physical type plus its annotation, e.g. `BYTE_ARRAY/UTF8`. */
export interface ParquetColumnInfo {
  name: string;
  physicalType: string;
  convertedType?: string;
  repetition: string;
}

export interface ParquetContents {
  columns: ParquetColumnInfo[];
  rows: Record<string, unknown>[];
  numRows: number;
}

/**
 * Reads a whole Parquet file (bytes) into row objects with hyparquet, plus its declared schema; for
 * tests and tools that check what the writer produced, not for large files.
 */
export async function readParquet(bytes: Uint8Array): Promise<ParquetContents> {
  // hyparquet wants an ArrayBuffer holding exactly the file.
  const file = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  const metadata = parquetMetadata(file);
  const columns = metadata.schema.slice(1).map((element) => ({
    name: element.name,
    physicalType: element.type ?? 'GROUP',
    ...(element.converted_type ? { convertedType: element.converted_type } : {}),
    repetition: element.repetition_type ?? 'REQUIRED',
  }));
  const rows = await parquetReadObjects({ file, metadata });
  return { columns, rows, numRows: Number(metadata.num_rows) };
}
