import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { LABEL } from '../../src/plan/labels.js';
import { composeExport, devcontainerExport } from '../../src/export/project-exports.js';
import { checkAsShell } from '../../src/export/render-compose.js';
import { PATH_NAMES, type PathName } from '../../src/lab/lab-model.js';
import { buildPlan } from '../../src/plan/build-plan.js';
import type { Plan, PlannedCheck } from '../../src/plan/plan-types.js';
import { lab, yaml } from '../support/lab-fixtures.js';

const PROJECT = '/labs/demo';
const planFor = (path: PathName, extra: string[] = []): Plan =>
  buildPlan(lab(yaml('name: demo', 'apps:', '  - name: app', `    path: ${path}`, '    build: .', ...extra)));

interface Service {
  image: string;
  build?: { context: string; args: Record<string, string> };
  container_name: string;
  command?: string[];
  user?: string;
  group_add?: string[];
  cap_add?: string[];
  devices?: string[];
  volumes?: string[];
  network_mode?: string;
  networks?: Record<string, { ipv4_address?: string; priority?: number }>;
  environment?: Record<string, string>;
  labels: Record<string, string>;
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: { test: string[] };
  working_dir?: string;
}
interface ComposeFile {
  version: string;
  services: Record<string, Service>;
  volumes: Record<string, { name: string; labels: Record<string, string> }>;
  networks?: Record<string, { name: string; ipam?: { config: { subnet: string; gateway: string }[] } }>;
}

/** What compose makes of a value: it interpolates $VAR, and $$ is a literal $. */
const interpolated = (text: string): ComposeFile => parse(text.replace(/\$\$/g, '$')) as ComposeFile;
const fileText = (files: { path: string; content: string }[], path: string): string => files.find((file) => file.path === path)!.content;

describe.each(PATH_NAMES)('vppkit export compose, %s', (path) => {
  const plan = planFor(path);
  const files = composeExport(plan, PROJECT);
  const text = fileText(files, 'compose.yaml');
  const compose = interpolated(text);

  it('renders as in its golden file', async () => {
    await expect(text).toMatchFileSnapshot(`./golden/${path}/compose.yaml`);
  });

  it('has one service per planned container, with its name, rights, devices and labels', () => {
    // The Compose Specification's form: no obsolete version key, no name (docker-compose 1.29 rejects it).
    expect(compose).not.toHaveProperty('version');
    expect(compose).not.toHaveProperty('name');
    // And a one-shot service per app whose path sets its network namespace up (af_xdp).
    expect(Object.keys(compose.services)).toEqual(plan.containers.flatMap((container) => (container.netnsStep ? [container.node, `${container.node}_netns`] : [container.node])));
    for (const container of plan.containers) {
      const service = compose.services[container.node]!;
      expect(service.container_name).toBe(container.name);
      expect(service.cap_add ?? []).toEqual(container.capabilities.map((grant) => grant.value));
      expect(service.devices ?? []).toEqual(container.devices.map((grant) => `${grant.value}:${grant.value}:rwm`));
      expect(service.labels).toEqual(container.labels);
      expect(service.environment ?? {}).toEqual(container.env);
      expect(service.command).toEqual(container.command);
      expect(service.user).toBe(container.user?.value);
      expect(service.group_add ?? []).toEqual(container.groups.map((grant) => grant.value));
    }
  });

  it('mounts the planned volumes and binds, and each planned file read-only from .vppkit/files', () => {
    for (const container of plan.containers) {
      const volumes = compose.services[container.node]!.volumes ?? [];
      for (const mount of container.mounts) {
        const source = mount.type === 'volume' ? mount.source.replace(`vppkit-${plan.lab}_`, '') : mount.source;
        expect(compose.volumes.run!.name).toBe(plan.volumes[0]!.name);
        // Volumes nocopy, as up mounts them: the engine would give them the image folder's owner and mode.
        expect(volumes).toContain(mount.type === 'volume' ? `${source}:${mount.target}:${mount.readOnly ? 'ro,' : ''}nocopy` : `${source}:${mount.target}`);
      }
      for (const file of container.files) {
        const exported = `.vppkit/files/${container.node}${file.path}`;
        expect(volumes).toContain(`./${exported}:${file.path}:ro`);
        expect(fileText(files, exported)).toBe(file.content);
      }
    }
  });

  it('keeps the planned network mode: the default bridge, the planned networks only, or VPP\'s namespace', () => {
    for (const container of plan.containers) {
      const service = compose.services[container.node]!;
      const mode = container.networkMode;
      if (mode.kind === 'bridge') expect(service.network_mode).toBe('bridge');
      if (mode.kind === 'container') expect(service.network_mode).toBe(`service:${mode.node}`);
      if (mode.kind === 'networks') {
        expect(service.network_mode).toBeUndefined();
        const byName = Object.fromEntries(Object.entries(compose.networks ?? {}).map(([key, network]) => [network.name, key]));
        const keys = container.networks.map((n) => byName[n.network]!);
        expect(Object.keys(service.networks!)).toEqual(keys);
        container.networks.forEach((n, index) => expect(service.networks![keys[index]!]!.ipv4_address).toBe(n.ipv4));
        // The plan's first network is the primary: compose makes the highest priority the primary.
        if (keys.length > 1) expect(service.networks![keys[0]!]!.priority).toBe(100);
      }
    }
    for (const network of plan.networks) {
      const declared = Object.values(compose.networks ?? {}).find((candidate) => candidate.name === network.name);
      expect(declared?.ipam?.config).toEqual(network.subnet ? [{ subnet: network.subnet, gateway: network.gateway }] : undefined);
    }
  });

  it('starts the apps once VPP is healthy, by the checks vppkit up waits for', () => {
    const vpp = compose.services.vpp!;
    const own = plan.vppReady.filter((check) => check.node === 'vpp');
    expect(vpp.healthcheck?.test).toEqual(['CMD-SHELL', own.map(checkAsShell).join(' && ')]);
    expect(compose.services.app!.depends_on).toEqual({ vpp: { condition: 'service_healthy' } });
  });

  it('builds the app on the lab\'s app-dev image, and names the VPP image as vppkit build tags it', () => {
    expect(compose.services.app!.build).toEqual({ context: '.', args: { VPPKIT_APP_DEV_IMAGE: 'vppkit.invalid/demo:app-dev' } });
    expect(compose.services.vpp!.image).toBe('vppkit.invalid/demo:vpp');
  });
});

describe('vppkit export compose', () => {
  it('writes every literal $ as $$, so compose passes it through unchanged', () => {
    const plan = planFor('memif', ['    env: { GREETING: "cost: $5 ${HOME}" }', '    command: [sh, -c, "echo $$"]']);
    const compose = interpolated(fileText(composeExport(plan, PROJECT), 'compose.yaml'));
    expect(compose.services.app!.environment!.GREETING).toBe('cost: $5 ${HOME}');
    expect(compose.services.app!.command).toEqual(['sh', '-c', 'echo $$']);
  });

  it('quotes what docker-compose v1 (YAML 1.1) would read as a boolean or a number', () => {
    const plan = planFor('memif', ['    env: { FEATURE: "on", ANSWER: "no", TIMEOUT: "1:30", COUNT: "1_000" }', '    command: [srv, --log, "off"]']);
    const text = fileText(composeExport(plan, PROJECT), 'compose.yaml');
    const asV1 = parse(text.replace(/\$\$/g, '$'), { version: '1.1' }) as ComposeFile;
    expect(asV1.services.app!.environment).toMatchObject({ FEATURE: 'on', ANSWER: 'no', TIMEOUT: '1:30', COUNT: '1_000' });
    expect(asV1.services.app!.command).toEqual(['srv', '--log', 'off']);
  });

  it('names an image VPP source as is, so compose needs no vppkit build for VPP', () => {
    const plan = buildPlan(lab(yaml('name: demo', 'vpp: { image: "registry.example/vpp:26.06" }', 'apps: [{ name: app, path: memif, image: "registry.example/app:1" }]')));
    const compose = interpolated(fileText(composeExport(plan, PROJECT), 'compose.yaml'));
    expect(compose.services.vpp!.image).toBe('registry.example/vpp:26.06');
    expect(compose.services.app!.image).toBe('registry.example/app:1');
    expect(compose.services.app!.build).toBeUndefined();
  });
});

describe('readiness checks as a health check command', () => {
  const shell = (check: PlannedCheck): number => spawnSync('sh', ['-c', checkAsShell(check)]).status!;
  const printing = (output: string, expect?: string): PlannedCheck => ({
    node: 'vpp',
    about: 'vpp',
    description: 'test',
    run: { kind: 'exec', cmd: ['printf', output] },
    ...(expect !== undefined && { expect }),
  });

  it('passes when the output matches, line by line as the plan\'s multiline patterns do, CRs and all', () => {
    expect(shell(printing('sockets\r\ninterface memif0/0\r\n  flags admin-up\r\n', '^interface memif0/0$'))).toBe(0);
    expect(shell(printing('vpp v26.06-release built by root\n', '^vpp v\\d'))).toBe(0);
    expect(shell(printing('10.0.0.2:7000 LISTEN', "10\\.0\\.0\\.2:7000(?!\\d)\\S*\\s+LISTEN"))).toBe(0);
  });

  it('fails when the output does not match, or the command fails', () => {
    expect(shell(printing('interface memif0/1\n', '^interface memif0/0$'))).not.toBe(0);
    expect(shell(printing('10.0.0.2:70001 LISTEN', "10\\.0\\.0\\.2:7000(?!\\d)\\S*\\s+LISTEN"))).not.toBe(0);
    expect(shell({ ...printing('x'), run: { kind: 'exec', cmd: ['false'] } })).not.toBe(0);
    expect(shell({ ...printing('it\'s "quoted" $HOME', '^it\'s "quoted" \\$HOME$') })).toBe(0);
  });
});

describe.each(PATH_NAMES)('vppkit export devcontainer, %s', (path) => {
  const plan = planFor(path);
  const files = devcontainerExport(plan, PROJECT, { postCreateCommand: 'cmake -S . -B build' });
  const config = JSON.parse(fileText(files, '.devcontainer/devcontainer.json').replace(/^\/\/.*\n/gm, '')) as Record<string, unknown>;
  const composeText = fileText(files, '.devcontainer/compose.yaml');
  const compose = interpolated(composeText);

  it('renders as in its golden files', async () => {
    await expect(fileText(files, '.devcontainer/devcontainer.json')).toMatchFileSnapshot(`./golden/${path}/devcontainer.json`);
    await expect(composeText).toMatchFileSnapshot(`./golden/${path}/devcontainer-compose.yaml`);
  });

  it('makes the app\'s service the dev container: app-dev image, idle, the workspace mounted where the config says', () => {
    expect(config).toMatchObject({
      dockerComposeFile: ['compose.yaml'],
      service: 'app',
      runServices: path === 'af_xdp' ? ['vpp', 'app', 'app_netns'] : ['vpp', 'app'],
      workspaceFolder: '/workspaces/demo',
      initializeCommand: 'npx --no vppkit build',
      postCreateCommand: 'cmake -S . -B build',
      customizations: { vscode: { extensions: ['ms-vscode.cpptools', 'ms-vscode.cmake-tools'] } },
    });
    const dev = compose.services.app!;
    expect(dev.image).toBe('vppkit.invalid/demo:app-dev');
    expect(dev.build).toBeUndefined();
    expect(dev.command).toEqual(['sleep', 'infinity']);
    expect(dev.volumes).toContain('..:/workspaces/demo:cached');
    expect(dev.working_dir).toBe('/workspaces/demo');
    expect(dev.labels[LABEL.configHash]).toBeUndefined();
  });

  it('wires the dev container as the app is wired, with files found from .devcontainer/', () => {
    const app = plan.containers.find((container) => container.node === 'app')!;
    const dev = compose.services.app!;
    expect(dev.cap_add ?? []).toEqual(app.capabilities.map((grant) => grant.value));
    expect(dev.container_name).toBe(app.name);
    for (const file of app.files) expect(dev.volumes).toContain(`../.vppkit/files/app${file.path}:${file.path}:ro`);
    // VPP is the same service as in compose.yaml, its files found from one folder down.
    const rootVpp = interpolated(fileText(composeExport(plan, PROJECT), 'compose.yaml')).services.vpp!;
    expect({ ...compose.services.vpp, volumes: compose.services.vpp!.volumes!.map((volume) => volume.replace(/^\.\.\//, './')) }).toEqual(rootVpp);
    const processOnly = new Set(app.processOnlyEnv);
    expect(dev.environment ?? {}).toEqual(Object.fromEntries(Object.entries(app.env).map(([key, value]) => [processOnly.has(key) ? `VPPKIT_${key}` : key, value])));
  });
});

describe('vppkit export devcontainer', () => {
  const twoApps = buildPlan(
    lab(yaml('name: demo', 'apps:', '  - { name: one, path: memif, build: . }', '  - { name: two, path: vcl, build: ./two }', '  - { name: three, path: memif, image: x }')),
  );

  it('asks which app when several are built from source, and refuses an app the lab lacks', () => {
    expect(() => devcontainerExport(twoApps, PROJECT)).toThrow('lab demo has several apps (one, two): choose the dev container\'s with --app <name>');
    expect(() => devcontainerExport(twoApps, PROJECT, { app: 'four' })).toThrow('lab demo has no app "four" (its apps: one, two, three)');
  });

  it('runs the other apps beside the dev container as they are', () => {
    const files = devcontainerExport(twoApps, PROJECT, { app: 'two' });
    const compose = interpolated(fileText(files, '.devcontainer/compose.yaml'));
    expect(compose.services.two!.image).toBe('vppkit.invalid/demo:app-dev');
    expect(compose.services.one!.build).toEqual({ context: '..', args: { VPPKIT_APP_DEV_IMAGE: 'vppkit.invalid/demo:app-dev' } });
    expect(compose.services.three!.image).toBe('x');
  });
});
