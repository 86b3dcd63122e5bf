import type { QueueName } from '@govwire/shared';
import type { OpsContext } from '../context';

/** Pausing is global for the queue: every worker on every machine stops taking new jobs; active ones finish. */
export async function pauseCommand(
  ctx: OpsContext,
  queue: QueueName,
): Promise<{ queue: QueueName; paused: boolean }> {
  await ctx.queues.get(queue).pause();
  return { queue, paused: await ctx.queues.get(queue).isPaused() };
}

export async function resumeCommand(
  ctx: OpsContext,
  queue: QueueName,
): Promise<{ queue: QueueName; paused: boolean }> {
  await ctx.queues.get(queue).resume();
  return { queue, paused: await ctx.queues.get(queue).isPaused() };
}
