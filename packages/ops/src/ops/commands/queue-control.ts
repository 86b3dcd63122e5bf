import type { QueueName } from '@govwire/shared';
import type { OpsContext } from '../context';
import { insertAudit } from '../repositories/ops.repository';

export interface QueueControlResult {
  queue: QueueName;
  paused: boolean;
  auditId: number;
}

/**
 * Pausing is global for the queue: every worker on every machine stops taking new jobs; active ones
 * finish. Both directions are audited, like the dashboard's buttons.
 */
export async function pauseCommand(ctx: OpsContext, queue: QueueName): Promise<QueueControlResult> {
  return setPaused(ctx, queue, true);
}

export async function resumeCommand(ctx: OpsContext, queue: QueueName): Promise<QueueControlResult> {
  return setPaused(ctx, queue, false);
}

async function setPaused(ctx: OpsContext, queue: QueueName, pause: boolean): Promise<QueueControlResult> {
  const q = ctx.queues.get(queue);
  const was = await q.isPaused();
  if (pause) await q.pause();
  else await q.resume();
  const paused = await q.isPaused();
  const auditId = await insertAudit(ctx.db, {
    action: pause ? 'pause' : 'resume',
    actor: ctx.actor,
    selection: { queue, wasPaused: was },
    count: 1,
  });
  return { queue, paused, auditId };
}
