import type { Readable, Writable } from 'node:stream';
import { confirm, isCancel, select, text } from '@clack/prompts';
import { nameProblem } from '../lab/load-lab.js';
import type { PathName } from '../lab/lab-model.js';
import { PATH_NAMES, pathModule } from '../paths/registry.js';
import { recommendPath, type HostLacks } from './choose-path.js';

export interface PromptIo {
  input?: Readable;
  output?: Writable;
}

export class Cancelled extends Error {
  constructor() {
    super('cancelled; nothing was written');
  }
}

/** A prompt's answer, or Cancelled when the user pressed Ctrl-C or Escape. */
function answered<T>(value: T): Exclude<T, symbol> {
  if (isCancel(value)) throw new Cancelled();
  return value as Exclude<T, symbol>;
}

export async function askName(io: PromptIo, initial: string): Promise<string> {
  return answered(
    await text({
      message: 'Project name (also the lab\'s name)',
      placeholder: initial,
      defaultValue: initial,
      validate: (value) => (value ? nameProblem(value)?.fix : undefined),
      ...io,
    }),
  );
}

/** The guide's questions, then the recommended path with its reason; the user may pick another. */
export async function askPath(io: PromptIo, hostLacks: HostLacks): Promise<PathName> {
  const handles = answered(
    await select({
      message: 'What does your app exchange with VPP?',
      options: [
        { value: 'sockets' as const, label: 'Sockets', hint: 'TCP or UDP through a sockets API' },
        { value: 'packets' as const, label: 'Raw packets', hint: 'Ethernet or IP frames it handles itself' },
      ],
      ...io,
    }),
  );
  const codeMayChange = answered(
    await confirm({
      message: handles === 'packets' ? 'May the app\'s code use libmemif?' : 'May the app\'s socket code change (to VPP\'s VPPCOM API)?',
      ...io,
    }),
  );
  const kernelHairpinOk =
    handles === 'sockets' && answered(await confirm({ message: 'Is a hairpin through the Linux kernel acceptable (simplest, slower)?', initialValue: false, ...io }));
  const recommended = recommendPath({ handles, codeMayChange, kernelHairpinOk }, hostLacks);
  return answered(
    await select({
      message: `Recommended: ${recommended.path} (${recommended.reason})`,
      options: PATH_NAMES.map((path) => ({ value: path, label: path === recommended.path ? `${path} (recommended)` : path, hint: pathModule(path).summary })),
      initialValue: recommended.path,
      ...io,
    }),
  );
}
