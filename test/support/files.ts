import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** Every file below a folder, as sorted paths relative to it (with the platform's separator). */
export function filesUnder(dir: string): string[] {
  return (readdirSync(dir, { recursive: true }) as string[]).filter((name) => statSync(join(dir, name)).isFile()).sort();
}
