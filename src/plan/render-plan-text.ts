import { relative } from 'node:path';
import { releaseSources } from '../lab/lab-core.js';
import type { VppSource } from '../lab/lab-model.js';
import { pathModule } from '../paths/registry.js';
import type { Grant, Plan, PlannedCheck, PlannedContainer, PlannedImage } from './plan-types.js';

/** The plan as a person reads it: what will run, with which rights and why, and how it is checked. */
export function renderPlanText(plan: Plan, cwd = process.cwd()): string {
  const out: string[] = [];
  const images = new Map(plan.images.map((image) => [image.key, image]));
  out.push(`Lab ${plan.lab} (${relative(cwd, plan.labFile) || plan.labFile})`, '');

  for (const container of plan.containers) {
    out.push(...renderContainer(container, images.get(container.image)!, cwd), '');
  }
  if (plan.networks.length) {
    out.push('Networks');
    for (const network of plan.networks) {
      const addresses = network.subnet ? `${network.subnet} (bridge ${network.gateway})` : 'addresses from the engine';
      out.push(`  ${network.name}  ${addresses}  ${network.why}`);
    }
    out.push('');
  }
  out.push('Volumes');
  for (const volume of plan.volumes) out.push(`  ${volume.name} -> ${volume.target}  ${volume.why}`);
  out.push('', `VPP plugins: ${plan.vpp.plugins.join(', ')}`, '', 'startup.conf', indent(plan.vpp.startupConf));
  out.push('setup.cli', indent(plan.vpp.setupCli || '(empty)\n'));
  out.push('VPP is ready when (then the apps start)', ...plan.vppReady.map(renderCheck), '');
  out.push('The apps are ready when', ...plan.appsReady.map(renderCheck), '');
  out.push('Smoke checks (vppkit check)', ...plan.smoke.map(renderCheck), '');
  return out.join('\n');
}

function renderContainer(container: PlannedContainer, image: PlannedImage, cwd: string): string[] {
  const title = container.role === 'vpp' ? 'VPP' : `App ${container.node} (${container.path})`;
  const lines = [`${title}  container ${container.name}`];
  if (container.path) lines.push(`  path          ${pathModule(container.path).summary}`);
  lines.push(`  image         ${describeImage(image, cwd)}`);
  if (container.command) lines.push(`  command       ${container.command.join(' ')}`);
  lines.push(`  user          ${container.user ? `${container.user.value}: ${container.user.why}` : 'the image\'s own (vppkit sets none)'}`);
  if (container.role === 'app') lines.push(...grantLines('groups', container.groups));
  if (container.nonRoot) lines.push(`  non-root      ${container.nonRoot.works ? 'works' : 'does not work'}: ${container.nonRoot.why}`);
  lines.push(...grantLines('capabilities', container.capabilities));
  if (container.onlyPlannedCapabilities && !container.privileged) lines.push('                (and none of the engine\'s default capabilities)');
  lines.push(...grantLines('devices', container.devices));
  if (container.privileged) lines.push('  privileged    yes (asked for in the lab file)');
  const network =
    container.networkMode.kind === 'container'
      ? `shares ${container.networkMode.node}'s network namespace`
      : container.networkMode.kind === 'bridge'
        ? 'default bridge'
        : container.networks.map((n) => (n.ipv4 ? `${n.network} as ${n.ipv4}` : n.network)).join('; ');
  lines.push(`  network       ${network}`);
  for (const mount of container.mounts) {
    const readOnly = mount.type === 'volume' && mount.readOnly ? ' (read-only)' : '';
    lines.push(`  mount         ${mount.source} -> ${mount.target}${readOnly}${mount.type === 'bind' ? ` (host bind: ${mount.why})` : ''}`);
  }
  if (container.netnsStep) {
    const rights = container.netnsStep.capabilities.map((grant) => grant.value).join(', ');
    lines.push(`  netns step    once it started, from VPP's image with ${rights} only: ${container.netnsStep.why}`);
  }
  for (const need of container.imageNeeds ?? []) {
    lines.push(`  image needs   a dynamically linked glibc program, with a glibc as new as VCL's libraries in ${need.dir} (up checks it first): ${need.why}`);
  }
  for (const file of container.files) lines.push(`  file          ${file.path}`);
  const env = Object.entries(container.env);
  if (env.length) lines.push(`  env           ${env.map(([key, value]) => `${key}=${value}`).join('\n                ')}`);
  return lines;
}

function grantLines(label: string, grants: readonly Grant[]): string[] {
  if (!grants.length) return [`  ${label.padEnd(13)} none`];
  return grants.map((grant, index) => `  ${(index === 0 ? label : '').padEnd(13)} ${grant.value}: ${grant.why}`);
}

function describeImage(image: PlannedImage, cwd: string): string {
  const { source } = image;
  if (source.kind === 'build') return `built from ${relative(cwd, source.context) || '.'}/Dockerfile`;
  if (source.kind === 'pull') return source.image;
  if (source.kind === 'app-dev') return 'the VPP image plus the C toolchain and libmemif';
  return describeVppSource(source.vpp);
}

export function describeVppSource(source: VppSource): string {
  if (source.kind === 'release') return `FD.io VPP ${source.release} packages from ${releaseSources(source).aptRepository}, built on the base image`;
  if (source.kind === 'image') return `${source.image} (as is)`;
  return `VPP from the install prefix ${source.prefix}`;
}

function renderCheck(check: PlannedCheck): string {
  const command = check.run.kind === 'vppctl' ? `vppctl ${check.run.args.join(' ')}` : `${check.node}$ ${check.run.cmd.join(' ')}`;
  return `  - ${check.description}: ${command}${check.expect ? `  =~ /${check.expect}/` : '  (exit 0)'}`;
}

function indent(text: string): string {
  return text
    .trimEnd()
    .split('\n')
    .map((line) => `    ${line}`)
    .join('\n') + '\n';
}
