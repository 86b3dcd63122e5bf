// The parser's public API. No side effects: importing this starts nothing and reads no files.
export { parseArticle, parseDocument, type ArticleText, type ParseInput, type ParseResult } from './parse';
export { createParserContext, warmParserContext, DEFAULT_DATA_DIR, type ParserContext } from './context';
export { parserHandlers, startParserWorker } from './worker';
export { parserThreadPool, type PageParser } from './parse-pool';
export { inlineParser } from './parse-inline';
export { parsePageHandler, type ParsePageDeps } from './jobs/parse-page.job';
export { decodeBytes, binaryReason } from '@govwire/shared/charset';
export { extractHtml } from './extract/html';
export { cleanBlocks } from './clean/pipeline';
export { buildRules, loadRules, type Rules } from './rules/rules';
export { listSpamTerms, addSpamTerm, cachedSpamTerms } from './repositories/spam-terms.repository';
export { redisHostTermMemory, memoryHostTermMemory, type HostTermMemory } from './state/host-terms';
export { simplify } from './text/script';
