import { createHash } from 'node:crypto';

/** SHA-256 of the UTF-8 bytes, hex: what `sha256sum model.json` prints after `aws s3 cp`. */
export function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}
