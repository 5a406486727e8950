import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { statSync } from 'node:fs';
import { userInfo } from 'node:os';

/** The engine's socket, whose group lets a user use it (a TCP DOCKER_HOST needs no group). */
const DOCKER_SOCKET = (process.env.DOCKER_HOST?.trim() || 'unix:///var/run/docker.sock').replace(/^unix:\/\//, '');

/**
 * A host user who is not root, for tests of what a developer's own files and rights come to (the dev
 * container's user takes this user's uid and gid). A test process that runs as root, as these
 * machines run everything, which proves nothing about permissions, makes one: a uid and gid of its
 * own, a home, and the engine socket's group, as `usermod -aG docker` gives a developer. A test
 * process that is not root is already such a user, and runs as itself.
 */
export interface HostUser {
  name: string;
  uid: number;
  gid: number;
  home: string;
  /** Runs a program as this user, with the test's environment but this user's home (and none of npm's settings, which name root's cache). */
  run(command: string, args: string[], options?: { cwd?: string; timeoutMs?: number }): SpawnSyncReturns<string>;
  /** Makes a folder the test made as root this user's, as if the user had made it. */
  own(path: string): void;
  remove(): void;
}

export function nonRootHostUser(prefix: string): HostUser {
  if (process.getuid?.() !== 0) {
    const me = userInfo();
    return {
      name: me.username,
      uid: me.uid,
      gid: me.gid,
      home: me.homedir,
      run: (command, args, options = {}) => spawnSync(command, args, { cwd: options.cwd, encoding: 'utf8', timeout: options.timeoutMs ?? 600_000 }),
      own: () => {},
      remove: () => {},
    };
  }
  const name = `${prefix}${Math.random().toString(16).slice(2, 8)}`.slice(0, 31);
  const socketGroup = DOCKER_SOCKET.startsWith('/') ? statSync(DOCKER_SOCKET).gid : undefined;
  // A uid far from the 1000s, so that the dev container's user (1000 in its image) must change to match.
  let made: SpawnSyncReturns<string> | undefined;
  for (let attempt = 0; attempt < 5 && made?.status !== 0; attempt++) {
    const uid = 20000 + Math.floor(Math.random() * 10000);
    made = spawnSync(
      'useradd',
      ['--create-home', '--uid', String(uid), '--user-group', '--shell', '/bin/sh', ...(socketGroup !== undefined ? ['--groups', String(socketGroup)] : []), name],
      { encoding: 'utf8' },
    );
  }
  if (made?.status !== 0) throw new Error(`useradd ${name} failed: ${made?.stderr}`);
  const id = (flag: string) => Number(spawnSync('id', [flag, name], { encoding: 'utf8' }).stdout.trim());
  const home = spawnSync('getent', ['passwd', name], { encoding: 'utf8' }).stdout.split(':')[5]!;
  const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !/^npm_/i.test(key)));
  const user: HostUser = {
    name,
    uid: id('-u'),
    gid: id('-g'),
    home,
    run: (command, args, options = {}) =>
      spawnSync('runuser', ['-u', name, '--', command, ...args], {
        cwd: options.cwd,
        encoding: 'utf8',
        timeout: options.timeoutMs ?? 600_000,
        env: { ...env, HOME: home, USER: name, LOGNAME: name },
      }),
    own: (path) => {
      const owned = spawnSync('chown', ['-R', `${user.uid}:${user.gid}`, path], { encoding: 'utf8' });
      if (owned.status !== 0) throw new Error(`chown ${path}: ${owned.stderr}`);
    },
    remove: () => {
      const removed = spawnSync('userdel', ['--remove', name], { encoding: 'utf8' });
      // Its mail spool never existed: userdel says so and still succeeds (status 0); anything else is a leftover.
      if (removed.status !== 0) throw new Error(`userdel ${name} failed (status ${removed.status}): ${removed.stderr}`);
    },
  };
  return user;
}
