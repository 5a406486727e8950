import { afterAll, describe, expect, inject, it } from 'vitest';
import { resolveBaseImage } from '../../src/config/defaults.js';
import { copyInto } from '../../src/engine/copy-into.js';
import { execIn } from '../../src/engine/exec.js';
import { testRun } from '../support/engine.js';

const tier = inject('engineTier');

describe.skipIf(!tier.run)('copying files into containers, on the real engine', () => {
  const run = testRun();
  afterAll(() => run.cleanup());

  it('writes files with their modes into a created container before it starts', async () => {
    const container = await run.docker.createContainer({ Image: resolveBaseImage(), Cmd: ['sleep', 'infinity'], Labels: run.labels });
    await copyInto(container, '/etc', {
      'vpp-test/startup.conf': { content: 'unix { nodaemon }\n' },
      'vpp-test/setup.sh': { content: '#!/bin/sh\necho set up\n', mode: 0o755 },
    });
    await container.start();
    expect((await execIn(run.docker, container.id, ['cat', '/etc/vpp-test/startup.conf'])).stdout).toBe('unix { nodaemon }\n');
    expect((await execIn(run.docker, container.id, ['/etc/vpp-test/setup.sh'])).stdout).toBe('set up\n');
    expect((await execIn(run.docker, container.id, ['stat', '-c', '%a', '/etc/vpp-test/startup.conf'])).stdout).toBe('644\n');
  });

  it('creates the folders a file needs when written from /', async () => {
    const container = await run.docker.createContainer({ Image: resolveBaseImage(), Cmd: ['sleep', 'infinity'], Labels: run.labels });
    await copyInto(container, '/', { 'etc/not-there-yet/deep/vcl.conf': { content: 'vcl { }\n' } });
    await container.start();
    expect((await execIn(run.docker, container.id, ['cat', '/etc/not-there-yet/deep/vcl.conf'])).stdout).toBe('vcl { }\n');
  });
});
