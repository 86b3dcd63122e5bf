import { createParserContext } from '../../src/context';

/** One parser context for a test file: the shipped data, built on first use. */
export const ctx = createParserContext();
