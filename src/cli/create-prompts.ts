import { cancel, intro as introduce, outro } from '@clack/prompts';
import type { PathName } from '../lab/lab-model.js';
import { hostLacks } from '../engine/host-checks.js';
import { askName as ask, askPath as choose, Cancelled } from '../scaffold/ask.js';

/** create-vpp-app's conversation with a person at a terminal; loaded only when there is one. */
export { outro };

export const intro = (): void => introduce('create-vpp-app');

export const askName = (initial: string): Promise<string> => ask({}, initial);

/** The guide's questions; this host's lacks (no vhost-net, no AF_XDP) steer the recommendation. */
export const askPath = (): Promise<PathName> => choose({}, hostLacks);

/** Says "cancelled" and answers true for a Ctrl-C or Escape at a prompt. */
export function cancelled(error: unknown): boolean {
  if (!(error instanceof Cancelled)) return false;
  cancel(error.message);
  return true;
}
