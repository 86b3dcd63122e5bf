import { errorCode, errorMessage, GovwireError } from '@govwire/shared/errors';
import { createParserContext, warmParserContext } from './context';
import { parseDocument, type ParseInput, type ParseResult } from './parse';

/** What a parse thread sends back: the result, or the error as data (a class does not cross threads). */
export type ParseOutcome =
  | { ok: true; result: ParseResult }
  | { ok: false; error: { code: string; message: string; permanent: boolean } };

// One context per thread, built when the thread starts (before its first task).
const ctx = warmParserContext(createParserContext());

export function parseTask(input: ParseInput): ParseOutcome {
  try {
    return { ok: true, result: parseDocument(ctx, input) };
  } catch (err) {
    const permanent = err instanceof GovwireError ? !err.retryable : false;
    return { ok: false, error: { code: errorCode(err), message: errorMessage(err), permanent } };
  }
}

/** piscina calls a thread module's default export (dist/parse-thread.mjs is this module, bundled). */
export default parseTask;
