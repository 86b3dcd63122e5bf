import type { ParserSettings } from '../settings';
import { endsSentence } from '../text/chars';
import { TERMINAL_OR_CLAUSE } from './captions';
import { live, remove, type Cleaning } from './items';

/**
 * Slogans and promotions trailing the article (`我们走在 / 大路上`, `一起为…加油`): the last blocks
 * while they are short, end no sentence and have no clause mark.
 */
export function removeTrailingSlogans(c: Cleaning, settings: ParserSettings['clean']): void {
  const l = live(c.items);
  for (let k = l.length - 1; k > 0; k--) {
    const it = l[k]!;
    if (
      it.kind === 'table' ||
      endsSentence(it.text) ||
      it.text.length > settings.sloganMaxChars ||
      TERMINAL_OR_CLAUSE.test(it.text.slice(0, -1))
    )
      break;
    remove(it, 'boilerplate', 'slogan');
  }
}
