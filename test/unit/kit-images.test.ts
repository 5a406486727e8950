import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { aptKeyOf, fdioAptRepository } from '../../src/config/defaults.js';
import { BASE_IMAGE_ARG, KIT_IMAGES, appDevBuildArgs, baseBuildArgs, kitImageDir, vppReleaseBuildArgs } from '../../src/images/kit-images.js';
import { DEV_USER } from '../../src/export/project-exports.js';
import { VPP_GROUP } from '../../src/paths/common.js';
import { repoRoot } from '../support/run-bin.js';

const imageFolders = readdirSync(join(repoRoot, 'images'), { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name);

describe('images/', () => {
  it('has exactly the folders the kit knows about', () => {
    expect(imageFolders.sort()).toEqual(Object.values(KIT_IMAGES).sort());
  });

  it.each(imageFolders)('%s takes its base from the BASE_IMAGE build argument', (folder) => {
    const lines = readFileSync(join(repoRoot, 'images', folder, 'Dockerfile'), 'utf8')
      .split('\n')
      .map((line) => line.trim())
      .filter((line) => line && !line.startsWith('#'));
    // The ARG must come before the first FROM to be usable in it.
    expect(lines[0]).toMatch(new RegExp(`^ARG ${BASE_IMAGE_ARG}(=\\S+)?$`));
    const froms = lines.filter((line) => /^FROM\s/i.test(line));
    expect(froms.length).toBeGreaterThan(0);
    for (const from of froms) expect(from).toMatch(new RegExp(`^FROM \\$\\{${BASE_IMAGE_ARG}\\}`));
  });

  it('resolves each image folder inside the package', () => {
    for (const image of Object.keys(KIT_IMAGES) as (keyof typeof KIT_IMAGES)[]) {
      expect(kitImageDir(image)).toBe(join(repoRoot, 'images', KIT_IMAGES[image]));
    }
  });

  it('fills BASE_IMAGE from VPPKIT_BASE_IMAGE', () => {
    expect(baseBuildArgs({ VPPKIT_BASE_IMAGE: 'local/base:1' })).toEqual({ BASE_IMAGE: 'local/base:1' });
    expect(baseBuildArgs({})).toEqual({ BASE_IMAGE: 'ubuntu:24.04' });
  });
});

describe('the release path\'s build arguments', () => {
  const env = { VPPKIT_BASE_IMAGE: 'local/base:1' };

  it('installs FD.io\'s packages from FD.io\'s repository for the release, with its key, unless the lab names a mirror', () => {
    expect(vppReleaseBuildArgs({ kind: 'release', release: '26.06' }, env)).toEqual({
      BASE_IMAGE: 'local/base:1',
      VPP_RELEASE: '26.06',
      VPP_APT_REPOSITORY: 'https://packagecloud.io/fdio/2606',
      VPP_APT_KEY: 'https://packagecloud.io/fdio/2606/gpgkey',
    });
    expect(vppReleaseBuildArgs({ kind: 'release', release: '25.10', aptRepository: 'http://mirror.example/fdio/2510' }, env)).toMatchObject({
      VPP_APT_REPOSITORY: 'http://mirror.example/fdio/2510',
      VPP_APT_KEY: 'http://mirror.example/fdio/2510/gpgkey',
    });
    expect(vppReleaseBuildArgs({ kind: 'release', release: '25.10', aptRepository: 'http://mirror.example/r', aptKey: 'http://keys.example/k.asc' }, env).VPP_APT_KEY).toBe(
      'http://keys.example/k.asc',
    );
  });

  it('builds libmemif from VPP\'s source for a release only: a prefix or an image brings its own', () => {
    expect(appDevBuildArgs('vppkit/vpp:x', { kind: 'release', release: '26.06' })).toEqual({
      BASE_IMAGE: 'vppkit/vpp:x',
      VPP_SOURCE_TARBALL: 'https://github.com/FDio/vpp/archive/{ref}.tar.gz',
    });
    expect(appDevBuildArgs('vppkit/vpp:x', { kind: 'release', release: '26.06', sourceTarball: 'http://mirror.example/vpp/{ref}.tar.gz' }).VPP_SOURCE_TARBALL).toBe(
      'http://mirror.example/vpp/{ref}.tar.gz',
    );
    expect(appDevBuildArgs('vppkit/vpp-prefix:y', { kind: 'prefix', prefix: '/opt/vpp' })).toEqual({ BASE_IMAGE: 'vppkit/vpp-prefix:y' });
    expect(appDevBuildArgs('registry.example/vpp:1', { kind: 'image', image: 'registry.example/vpp:1' })).toEqual({ BASE_IMAGE: 'registry.example/vpp:1' });
  });

  it('images/app-dev makes the dev container\'s user, in VPP\'s group by the plan\'s number, and staff for /usr/local', () => {
    const dockerfile = readFileSync(join(repoRoot, 'images/app-dev/Dockerfile'), 'utf8');
    expect(dockerfile).toContain(`ARG VPP_GID=${VPP_GROUP.gid}\n`);
    expect(dockerfile).toContain(`useradd --create-home --shell /bin/bash --groups ${VPP_GROUP.name},staff ${DEV_USER}`);
    expect(dockerfile).not.toMatch(/^USER /m);
  });

  it('images/vpp-release falls back to the same repository and key when built without them (the Dev Container Template)', () => {
    const dockerfile = readFileSync(join(repoRoot, 'images/vpp-release/Dockerfile'), 'utf8');
    // The Dockerfile derives the repository from VPP_RELEASE with the shell: the same rule as fdioAptRepository.
    expect(fdioAptRepository('26.06')).toBe('https://packagecloud.io/fdio/2606');
    expect(dockerfile).toContain('repository="${VPP_APT_REPOSITORY:-https://packagecloud.io/fdio/$(echo "$VPP_RELEASE" | tr -d .)}"');
    expect(aptKeyOf('https://packagecloud.io/fdio/2606')).toBe('https://packagecloud.io/fdio/2606/gpgkey');
    expect(dockerfile).toContain('key="${VPP_APT_KEY:-${repository}/gpgkey}"');
  });
});
