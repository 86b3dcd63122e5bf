import type { ParserContext } from './context';
import { parseDocument } from './parse';
import type { PageParser } from './parse-pool';

/** parseDocument in the calling thread (the CLI and tests): the parser without threads. */
export function inlineParser(ctx: ParserContext): PageParser {
  return {
    parse: async (input) => parseDocument(ctx, input),
    close: async () => {},
  };
}
