import { join } from 'node:path';
import type Docker from 'dockerode';
import { resolveBaseImage } from '../../src/config/defaults.js';
import { buildImage } from '../../src/engine/build-image.js';
import { imageExists } from '../../src/engine/pull-image.js';
import { runOnce } from '../../src/engine/run-once.js';
import { packContext } from '../../src/images/build-context.js';
import { combineFingerprints, fingerprintTree } from '../../src/images/fingerprint.js';
import { repoRoot } from './run-bin.js';

/**
 * A stand-in for FD.io's package repository, for the release path where FD.io cannot be reached:
 * Debian packages named, versioned and laid out as FD.io's, made from the VPP prefix under test (a
 * 26.10-rc0 build, labelled as a release), signed, in packagecloud's layout. See
 * fdio-stand-in/build-repo.sh for what goes where.
 */
const TOOLS_DIR = join(repoRoot, 'test/support/fdio-stand-in');

/** Marks the tools image (kept between runs: Debian's packaging tools take a while to install). */
export const TOOLS_LABEL = 'io.vppkit.test-tools';

/** The label FD.io would give the release the stand-in plays. */
export const STAND_IN_RELEASE = '26.06';
export const STAND_IN_VERSION = `${STAND_IN_RELEASE}-release`;

export interface StandInRepository {
  /**
   * The folder to serve as the repository's base URL, as packagecloud serves fdio/2606: the key at
   * gpgkey, the apt repository at <ID>/ (dists/<codename>/..., pool/...).
   */
  dir: string;
  /** build-repo.sh's account of what went where (packages, their Depends). */
  log: string;
}

/** The image build-repo.sh runs in, built on the tests' base image once and kept by its tag. */
async function ensureToolsImage(docker: Docker): Promise<string> {
  const base = resolveBaseImage();
  // Only the Dockerfile goes in: build-repo.sh is mounted when it runs, so editing it rebuilds nothing.
  const onlyDockerfile = (path: string): boolean => path !== join(TOOLS_DIR, 'Dockerfile');
  const tag = `vppkit-test/fdio-stand-in-tools:${combineFingerprints({ dockerfile: await fingerprintTree(TOOLS_DIR, { contents: true, ignore: onlyDockerfile }), base })}`;
  if (await imageExists(docker, tag)) return tag;
  await buildImage(docker, {
    context: packContext([{ from: TOOLS_DIR, to: '.', ignore: onlyDockerfile }]),
    tag,
    buildArgs: { BASE_IMAGE: base },
    labels: { [TOOLS_LABEL]: 'fdio-stand-in' },
  });
  return tag;
}

/** Builds the stand-in repository from the prefix into `out` (a fresh signing key each time). */
export async function buildStandInRepository(docker: Docker, prefix: string, out: string, version = STAND_IN_VERSION): Promise<StandInRepository> {
  const image = await ensureToolsImage(docker);
  const owner = process.getuid && process.getgid ? `${process.getuid()}:${process.getgid()}` : '0:0';
  const result = await runOnce(docker, {
    image,
    cmd: ['bash', '/tools/build-repo.sh', '/opt/vpp', '/out', version],
    // The files are the test's to remove afterwards, whoever it runs as.
    env: { OUT_OWNER: owner },
    labels: { [TOOLS_LABEL]: 'fdio-stand-in' },
    hostConfig: { Binds: [`${prefix}:/opt/vpp:ro`, `${out}:/out`, `${TOOLS_DIR}:/tools:ro`], NetworkMode: 'none' },
  });
  const log = `${result.stdout}${result.stderr}`;
  if (result.exitCode !== 0) throw new Error(`build-repo.sh failed (exit ${result.exitCode}):\n${log.split('\n').slice(-30).join('\n')}`);
  return { dir: out, log };
}

/** Where image builds on the engine's default bridge reach this host: the bridge's gateway. */
export async function bridgeGateway(docker: Docker): Promise<string> {
  const bridge = (await docker.getNetwork('bridge').inspect()) as { IPAM?: { Config?: { Gateway?: string }[] } };
  const gateway = bridge.IPAM?.Config?.find((config) => config.Gateway)?.Gateway;
  if (!gateway) throw new Error(`the engine's bridge network has no gateway in its IPAM config: ${JSON.stringify(bridge.IPAM)}`);
  return gateway;
}
