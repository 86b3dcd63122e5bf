/**
 * Passwords never reach a terminal or a log: every `scheme://user:password@host` (the user may be
 * empty, as in Redis's usual `redis://:password@host`) and every `password=` query parameter in a
 * text is masked before it is printed.
 */
const URL_PASSWORD = /\b([a-z][a-z0-9+.-]*:\/\/[^\s:/?#@]*:)[^\s@]*@/gi;
const QUERY_PASSWORD = /([?&](?:password|pass|pwd)=)[^&#\s]*/gi;

export function redactSecrets(text: string): string {
  return text.replace(URL_PASSWORD, '$1***@').replace(QUERY_PASSWORD, '$1***');
}

/** Hides a password in a connection URL before it is printed. */
export function redactUrl(url: string): string {
  return redactSecrets(url);
}

/** The URL with its password removed altogether (a `psql` line the reader can copy; psql then asks). */
export function withoutPassword(url: string): string {
  try {
    const u = new URL(url);
    if (!u.password) return url;
    u.password = '';
    u.searchParams.delete('password');
    return u.toString();
  } catch {
    return redactSecrets(url);
  }
}
