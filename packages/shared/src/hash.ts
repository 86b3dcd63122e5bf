import { createHash } from 'node:crypto';
import { gunzipSync, gzipSync } from 'node:zlib';

export function sha256Hex(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

export function sha1Hex(data: string | Uint8Array): string {
  return createHash('sha1').update(data).digest('hex');
}

/** Raw page bytes travel gzip-compressed and base64-encoded inside job payloads. */
export function packBody(bytes: Uint8Array): string {
  return gzipSync(bytes).toString('base64');
}

export function unpackBody(packed: string): Buffer {
  return gunzipSync(Buffer.from(packed, 'base64'));
}
