import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { buildImage, ImageBuildError } from '../../src/engine/build-image.js';
import { runOnce } from '../../src/engine/run-once.js';
import { packContext } from '../../src/images/build-context.js';
import { baseBuildArgs } from '../../src/images/kit-images.js';
import { testRun } from '../support/engine.js';

const tier = inject('engineTier');

describe.skipIf(!tier.run)('image builds through dockerode, on the real engine', () => {
  const run = testRun();
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'vppkit-build-'));
  });
  afterAll(async () => {
    await run.cleanup();
    await rm(dir, { recursive: true, force: true });
  });

  async function contextWith(dockerfile: string, files: Record<string, string> = {}): Promise<string> {
    const sub = await mkdtemp(join(dir, 'ctx-'));
    await writeFile(join(sub, 'Dockerfile'), dockerfile);
    for (const [name, content] of Object.entries(files)) await writeFile(join(sub, name), content);
    return sub;
  }

  it('builds on the base image named by VPPKIT_BASE_IMAGE, through the BASE_IMAGE build argument', async () => {
    const context = await contextWith(
      ['ARG BASE_IMAGE', 'FROM ${BASE_IMAGE}', 'COPY greeting.txt /greeting.txt', 'RUN test -s /etc/debian_version'].join('\n'),
      { 'greeting.txt': 'built by vppkit\n' },
    );
    const lines: string[] = [];
    const tag = `vppkit-test/build-ok:${run.id}`;
    const built = await buildImage(run.docker, {
      context: packContext([{ from: context, to: '.' }]),
      tag,
      buildArgs: baseBuildArgs(),
      labels: run.labels,
      onLine: (line) => lines.push(line),
    });
    expect(built.tag).toBe(tag);
    expect(lines.some((line) => line.includes('COPY greeting.txt'))).toBe(true);
    const result = await runOnce(run.docker, { image: tag, cmd: ['cat', '/greeting.txt'], labels: run.labels });
    expect(result.stdout).toBe('built by vppkit\n');
  });

  it('fails with the engine\'s error when a step fails, though the HTTP stream itself succeeded', async () => {
    const context = await contextWith(['ARG BASE_IMAGE', 'FROM ${BASE_IMAGE}', 'RUN echo about to fail && exit 7'].join('\n'));
    const attempt = buildImage(run.docker, {
      context: packContext([{ from: context, to: '.' }]),
      tag: `vppkit-test/build-broken:${run.id}`,
      buildArgs: baseBuildArgs(),
      labels: run.labels,
    });
    await expect(attempt).rejects.toBeInstanceOf(ImageBuildError);
    const error = (await attempt.catch((e: unknown) => e)) as ImageBuildError;
    expect(error.message).toMatch(/building image vppkit-test\/build-broken:\w+ failed: .*returned a non-zero code: 7/);
    expect(error.tail()).toContain('about to fail');
  });

  it('fails with the engine\'s error on a Dockerfile it cannot parse', async () => {
    const context = await contextWith('ARG BASE_IMAGE\nFROM ${BASE_IMAGE}\nNOT_AN_INSTRUCTION here\n');
    await expect(
      buildImage(run.docker, {
        context: packContext([{ from: context, to: '.' }]),
        tag: `vppkit-test/build-unparsable:${run.id}`,
        buildArgs: baseBuildArgs(),
        labels: run.labels,
      }),
    ).rejects.toThrow(/building image .* failed: .*(unknown instruction|NOT_AN_INSTRUCTION)/i);
  });
});
