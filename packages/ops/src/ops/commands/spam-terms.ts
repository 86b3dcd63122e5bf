import { UsageError } from '@govwire/shared';
import type { OpsContext } from '../context';
import { addSpamTerm, insertAudit, listSpamTerms, removeSpamTerm } from '../repositories/ops.repository';

export interface SpamTermView {
  term: string;
  note: string | null;
  addedBy: string;
  addedAt: string;
}

function cleanTerm(term: string): string {
  const t = term.normalize('NFC').trim();
  if (!t) throw new UsageError('a spam term must not be empty');
  if (t.length > 200) throw new UsageError('a spam term is at most 200 characters');
  return t;
}

export async function spamTermsAdd(
  ctx: OpsContext,
  term: string,
  note?: string,
): Promise<{ term: string; added: boolean }> {
  const t = cleanTerm(term);
  const added = await addSpamTerm(ctx.db, t, note?.trim() || null, ctx.actor);
  if (added)
    await insertAudit(ctx.db, {
      action: 'spam-terms-add',
      actor: ctx.actor,
      selection: { term: t },
      count: 1,
    });
  return { term: t, added };
}

export async function spamTermsList(ctx: OpsContext): Promise<SpamTermView[]> {
  return (await listSpamTerms(ctx.db)).map((r) => ({
    term: r.term,
    note: r.note,
    addedBy: r.added_by,
    addedAt: new Date(r.added_at).toISOString(),
  }));
}

export async function spamTermsRemove(
  ctx: OpsContext,
  term: string,
): Promise<{ term: string; removed: boolean }> {
  const t = cleanTerm(term);
  const removed = await removeSpamTerm(ctx.db, t);
  if (!removed) throw new UsageError(`no spam term "${t}" (see: pnpm ops spam-terms list)`);
  await insertAudit(ctx.db, {
    action: 'spam-terms-remove',
    actor: ctx.actor,
    selection: { term: t },
    count: 1,
  });
  return { term: t, removed };
}
