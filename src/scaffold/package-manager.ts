/**
 * The package manager that ran create-vpp-app, read as create-vite reads it: npm, pnpm, yarn and bun
 * each set npm_config_user_agent ("pnpm/9.1.0 npm/? node/v20.12.0 linux x64"). The project's next
 * steps and README use its commands, so what they say runs the project's own pinned vppkit.
 */
export interface PackageManager {
  name: 'npm' | 'pnpm' | 'yarn' | 'bun';
  /** Installs the project's devDependencies (vppkit, pinned). */
  install: string;
  /** Runs an installed bin: the project's node_modules/.bin first, as npx does. */
  exec: string;
}

const MANAGERS: Record<PackageManager['name'], PackageManager> = {
  npm: { name: 'npm', install: 'npm install', exec: 'npx' },
  pnpm: { name: 'pnpm', install: 'pnpm install', exec: 'pnpm exec' },
  // `yarn <bin>` runs a project's bin in Yarn 1 and Berry alike.
  yarn: { name: 'yarn', install: 'yarn', exec: 'yarn' },
  bun: { name: 'bun', install: 'bun install', exec: 'bunx' },
};

export function packageManagerFrom(userAgent: string | undefined): PackageManager {
  const name = userAgent?.split(' ')[0]?.split('/')[0];
  return name && name in MANAGERS ? MANAGERS[name as PackageManager['name']] : MANAGERS.npm;
}
