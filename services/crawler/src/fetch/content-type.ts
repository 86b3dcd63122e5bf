import type { PageKind } from '@govwire/shared';
import { isAttachmentContentType } from '../links/rules';

export type BodyKind = 'html' | 'xml' | 'attachment' | 'other';

/**
 * What a response holds, from its Content-Type, or from its first bytes when the header is
 * missing or generic (old servers send `text/plain` or nothing for HTML).
 */
export function bodyKind(contentType: string | undefined, head?: Uint8Array): BodyKind {
  const ct = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
  if (ct === 'text/html' || ct === 'application/xhtml+xml') return 'html';
  if (/^(application|text)\/([\w.+-]+\+)?xml$/.test(ct)) return 'xml';
  if (ct && ct !== 'application/octet-stream' && ct !== 'text/plain' && isAttachmentContentType(ct))
    return 'attachment';
  if (!ct || ct === 'text/plain' || ct === 'application/octet-stream') {
    const start = head
      ? Buffer.from(head.subarray(0, 512))
          .toString('latin1')
          .replace(/^\uFEFF|^\xEF\xBB\xBF/, '')
          .trimStart()
      : '';
    if (/^<\?xml/i.test(start)) return /<html/i.test(start) ? 'html' : 'xml';
    if (/^<(!doctype html|html|head|body|meta|!--)/i.test(start)) return 'html';
    if (start.startsWith('%PDF')) return 'attachment';
    if (ct === 'application/octet-stream') return 'attachment';
  }
  return 'other';
}

/** Whether a page of this kind may hold this body. */
export function acceptable(kind: PageKind, body: BodyKind): boolean {
  if (kind === 'list' || kind === 'article') return body === 'html';
  // A dataproxy answer is XML, often labelled text/html; the reader judges what it holds.
  if (kind === 'dataproxy') return body !== 'attachment';
  return body === 'xml' || body === 'html';
}
