import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { describe, expect, it } from 'vitest';
import { describeHolder, holderIsGone, thisProcess } from '../../src/engine/lock-holder.js';
import { runBin } from '../support/run-bin.js';

// Who holds a lab's lock, and whether it is gone: what decides between "wait" and "taken over".
describe('a lock\'s holder', () => {
  it('names the process: command as typed, pid, host, folder, since when', () => {
    const now = new Date('2025-11-25T20:50:42Z');
    const holder = { ...thisProcess('up', new Date('2025-11-25T20:50:00Z')), command: 'vppkit up -f lab.yaml', cwd: '/home/me/lab' };
    expect(describeHolder(holder, now)).toBe(`\`vppkit up -f lab.yaml\` (pid ${process.pid} on host ${hostname()}, in /home/me/lab, since 2025-11-25T20:50:00.000Z, 42 s ago)`);
    expect(describeHolder({ ...holder, since: '2025-11-25T18:00:00.000Z' }, now)).toMatch(/, 3 h ago\)$/);
  });

  it.skipIf(process.platform !== 'linux')('is not gone while it runs, and is once it has exited', async () => {
    expect(holderIsGone(thisProcess('up'))).toBe(false);
    const child = spawn('sleep', ['30']);
    const holder = { ...thisProcess('up'), pid: child.pid!, processStart: processStartOf(child.pid!) };
    expect(holderIsGone(holder)).toBe(false);
    child.kill('SIGKILL');
    await new Promise((resolve) => child.on('close', resolve));
    expect(holderIsGone(holder)).toBe(true);
  });

  it('is gone when its pid now names another process (started at another time)', () => {
    expect(holderIsGone({ ...thisProcess('up'), processStart: '1' })).toBe(true);
  });

  it('cannot be told gone when it runs in another pid namespace or on another machine', () => {
    const here = thisProcess('up');
    expect(holderIsGone({ ...here, pidNamespace: 'pid:[4026532000]', pid: 999_999 })).toBeUndefined();
    expect(holderIsGone({ ...here, host: 'elsewhere', machine: 'another', boot: 'another boot', pid: 999_999 })).toBeUndefined();
  });

  const inRootNamespace = thisProcess('up').pidNamespace === 'pid:[4026531836]' && thisProcess('up').machine !== '';
  it.skipIf(!inRootNamespace)('is gone when it ran on this machine before it rebooted, outside containers', () => {
    const before = { ...thisProcess('up'), boot: 'an earlier boot' };
    expect(holderIsGone(before)).toBe(true);
    // A container's machine id comes with its image: another boot there may be another machine.
    expect(holderIsGone({ ...before, pidNamespace: 'pid:[4026532000]' })).toBeUndefined();
  });
});

describe('--name', () => {
  it('must be a lab\'s name (it names the lab\'s lock too): a usage error otherwise, before any engine is asked', () => {
    const result = runBin('vppkit', ['down', '--name', 'My_Lab']);
    expect(result).toMatchObject({ status: 2, stdout: '' });
    expect(result.stderr).toBe('vppkit: --name "My_Lab" is not a lab\'s name: lowercase letters, digits and \'-\', starting with a letter\n');
  });
});

/** Field 22 of /proc/<pid>/stat: when the process started, in clock ticks since boot. */
function processStartOf(pid: number): string {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19]!;
}
