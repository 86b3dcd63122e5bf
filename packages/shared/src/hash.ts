import { createHash } from 'node:crypto';
import { gunzipSync } from 'node:zlib';

export function sha256Hex(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

export function sha1Hex(data: string | Uint8Array): string {
  return createHash('sha1').update(data).digest('hex');
}

/**
 * Unpacks a stored gzip body, refusing to inflate past `maxBytes`: a small body can expand to
 * gigabytes (a gzip bomb), and zlib stops at the limit instead of allocating it.
 */
export function gunzipBounded(gzipped: Uint8Array, maxBytes: number): Buffer {
  try {
    return gunzipSync(gzipped, { maxOutputLength: maxBytes });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') {
      throw new BodyTooLargeError(maxBytes);
    }
    throw err;
  }
}

/** A gzip body that inflates past the byte limit. */
export class BodyTooLargeError extends Error {
  constructor(readonly maxBytes: number) {
    super(`body inflates past ${maxBytes} bytes`);
    this.name = 'BodyTooLargeError';
  }
}
