import type { SourceConfig } from '../sources/source-config';

/**
 * A source's link rules as one predicate: deny patterns exclude; allow patterns (any) admit;
 * without allow patterns a link must stay on one of the start URLs' hosts.
 */
export interface LinkRules {
  admits(url: string): boolean;
  denied(url: string): boolean;
}

export function linkRules(source: Pick<SourceConfig, 'links' | 'startUrls'>): LinkRules {
  const allow = source.links.allow.map((p) => new RegExp(p, 'i'));
  const deny = source.links.deny.map((p) => new RegExp(p, 'i'));
  const hosts = new Set(source.startUrls.map((s) => new URL(s.url).host));
  const denied = (url: string) => deny.some((r) => r.test(url));
  return {
    denied,
    admits(url) {
      if (denied(url)) return false;
      if (allow.length > 0) return allow.some((r) => r.test(url));
      return hosts.has(new URL(url).host);
    },
  };
}

const ATTACHMENT_EXT = /\.(pdf|docx?|xlsx?|pptx?|wps|et|dps|ofd|rtf|zip|rar|7z)$/i;

/**
 * Whether a page's text could link an attachment at all: its extension after a dot, or an
 * entity-encoded dot. A page without either (most articles) is not scanned for attachments.
 */
export function mayLinkAttachments(text: string): boolean {
  return /\.(?:pdf|docx?|xlsx?|pptx?|wps|et|dps|ofd|rtf|zip|rar|7z)(?![a-z0-9])|&#0*46;|&#x0*2e;/i.test(text);
}

/** PDF, office and archive links: recorded as attachments of the linking page, never fetched. */
export function isAttachmentUrl(url: string): boolean {
  try {
    return ATTACHMENT_EXT.test(new URL(url).pathname);
  } catch {
    return false;
  }
}

const ATTACHMENT_TYPES =
  /^(application\/(pdf|msword|vnd\.(ms-|openxmlformats-officedocument)|zip|x-rar|x-7z|ofd|rtf|wps)|application\/octet-stream)/i;

export function isAttachmentContentType(contentType: string): boolean {
  return ATTACHMENT_TYPES.test(contentType.trim());
}
