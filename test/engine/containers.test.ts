import { afterAll, describe, expect, inject, it } from 'vitest';
import { resolveBaseImage } from '../../src/config/defaults.js';
import { execIn } from '../../src/engine/exec.js';
import { labelFilter } from '../../src/plan/labels.js';
import { runOnce } from '../../src/engine/run-once.js';
import { TEST_RUN_LABEL, testRun } from '../support/engine.js';

const tier = inject('engineTier');

describe.skipIf(!tier.run)('containers through dockerode, on the real engine', () => {
  const run = testRun();
  afterAll(() => run.cleanup());

  it('runs a command in the base image, returns its output and exit code, and removes the container', async () => {
    const result = await runOnce(run.docker, {
      image: resolveBaseImage(),
      cmd: ['sh', '-c', 'cat /etc/os-release | head -n 1; echo to-stderr >&2; exit 3'],
      labels: run.labels,
    });
    expect(result.exitCode).toBe(3);
    expect(result.stdout).toMatch(/^PRETTY_NAME=/);
    expect(result.stderr).toBe('to-stderr\n');
    const left = await run.docker.listContainers({ all: true, filters: labelFilter({ [TEST_RUN_LABEL]: run.id }) });
    expect(left).toEqual([]);
  });

  it('keeps output that arrives the instant the container starts and stdout larger than one frame', async () => {
    const result = await runOnce(run.docker, {
      image: resolveBaseImage(),
      cmd: ['sh', '-c', 'seq 1 20000'],
      labels: run.labels,
    });
    expect(result.exitCode).toBe(0);
    const lines = result.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(20000);
    expect(lines[0]).toBe('1');
    expect(lines.at(-1)).toBe('20000');
  });

  it('passes environment variables', async () => {
    const result = await runOnce(run.docker, {
      image: resolveBaseImage(),
      cmd: ['sh', '-c', 'echo "$GREETING"'],
      env: { GREETING: 'hello vpp' },
      labels: run.labels,
    });
    expect(result.stdout).toBe('hello vpp\n');
  });

  it('execs in a running container and reads the exit code after the stream ends', async () => {
    const container = await run.docker.createContainer({
      Image: resolveBaseImage(),
      Cmd: ['sleep', 'infinity'],
      Labels: run.labels,
    });
    await container.start();
    const ok = await execIn(run.docker, container.id, ['sh', '-c', 'echo $((6 * 7)); exit 0']);
    expect(ok).toEqual({ exitCode: 0, stdout: '42\n', stderr: '' });
    const failed = await execIn(run.docker, container.id, ['sh', '-c', 'echo nope >&2; exit 5']);
    expect(failed).toEqual({ exitCode: 5, stdout: '', stderr: 'nope\n' });
    const missing = await execIn(run.docker, container.id, ['/no/such/binary']);
    expect(missing.exitCode).not.toBe(0);
  });
});

describe.skipIf(!tier.run)('checks', () => {
  const run = testRun();
  afterAll(() => run.cleanup());

  it('fail with a clear message when the command does not answer in time, instead of hanging', async () => {
    const { runCheck } = await import('../../src/engine/run-check.js');
    const container = await run.docker.createContainer({ Image: resolveBaseImage(), Cmd: ['sleep', 'infinity'], Labels: run.labels });
    await container.start();
    const started = Date.now();
    const result = await runCheck(
      run.docker,
      { node: 'app', about: 'app', description: 'hangs', run: { kind: 'exec', cmd: ['sleep', '30'] } },
      new Map([['app', container.id]]),
      1_000,
    );
    expect(result).toEqual({ ok: false, output: 'sleep 30: no answer within 1s' });
    expect(Date.now() - started).toBeLessThan(5_000);
  });
});
