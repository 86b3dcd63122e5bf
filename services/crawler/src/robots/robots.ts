import robotsParser from 'robots-parser';

/**
 * robots.txt with RFC 9309 semantics: a 2xx body is parsed; 4xx (no robots.txt) allows all;
 * 5xx or no answer disallows everything until the file can be read again.
 */
export type RobotsRecord =
  | { kind: 'rules'; text: string }
  | { kind: 'allow-all'; status: number }
  | { kind: 'unavailable'; reason: string };

export function robotsRecordFromResponse(status: number, body: string): RobotsRecord {
  if (status >= 200 && status < 300) return { kind: 'rules', text: body };
  if (status >= 400 && status < 500) return { kind: 'allow-all', status };
  return { kind: 'unavailable', reason: `robots.txt answered ${status}` };
}

export type RobotsVerdict =
  | { allowed: true; crawlDelayS: number | undefined }
  | { allowed: false; reason: 'disallowed' | 'unavailable'; detail: string };

/** The product token robots.txt groups are matched against. */
export const ROBOTS_AGENT = 'govwire';

export class RobotsPolicy {
  private readonly robot: ReturnType<typeof robotsParser> | undefined;

  constructor(
    readonly origin: string,
    readonly record: RobotsRecord,
  ) {
    if (record.kind === 'rules') {
      // robots.txt is limited to 500 KiB by RFC 9309; anything past it is ignored.
      this.robot = robotsParser(`${origin}/robots.txt`, record.text.slice(0, 500 * 1024));
    }
  }

  check(url: string, agent = ROBOTS_AGENT): RobotsVerdict {
    if (this.record.kind === 'allow-all') return { allowed: true, crawlDelayS: undefined };
    if (this.record.kind === 'unavailable') {
      return {
        allowed: false,
        reason: 'unavailable',
        detail: `robots.txt unavailable (${this.record.reason})`,
      };
    }
    const robot = this.robot!;
    // robots-parser answers undefined for URLs of another origin; treat as a caller bug.
    const allowed = robot.isAllowed(url, agent);
    if (allowed === undefined) throw new Error(`robots policy of ${this.origin} asked about ${url}`);
    if (!allowed) {
      const line = robot.getMatchingLineNumber(url, agent);
      return { allowed: false, reason: 'disallowed', detail: `disallowed by robots.txt line ${line}` };
    }
    return { allowed: true, crawlDelayS: robot.getCrawlDelay(agent) };
  }
}
