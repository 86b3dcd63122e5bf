import { PermanentError } from '@govwire/shared/errors';
import type { ParserSettings } from './settings';

/**
 * The limits one parse runs under (data/settings.yaml `limits`): a page beyond them fails
 * permanently, saying which limit and where, instead of holding a worker for minutes.
 */
export class ParseLimits {
  private readonly deadline: number;
  constructor(
    readonly settings: ParserSettings['limits'],
    private readonly now: () => number = Date.now,
  ) {
    this.deadline = now() + settings.maxParseMs;
  }

  /** Throws `parse_timeout` once the parse has run longer than maxParseMs. */
  checkTime(where: string): void {
    if (this.now() > this.deadline)
      throw new PermanentError(
        'parse_timeout',
        `parsing took longer than ${this.settings.maxParseMs} ms (limits.maxParseMs), stopped ${where}`,
      );
  }

  checkDepth(depth: number): void {
    if (depth > this.settings.maxDepth)
      throw new PermanentError(
        'too_deep',
        `elements nested deeper than ${this.settings.maxDepth} levels (limits.maxDepth)`,
      );
  }

  checkNodes(nodes: number): void {
    if (nodes > this.settings.maxNodes)
      throw new PermanentError(
        'too_many_nodes',
        `more than ${this.settings.maxNodes} nodes (limits.maxNodes)`,
      );
  }
}
