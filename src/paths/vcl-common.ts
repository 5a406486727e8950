import { formatInterfaceAddress } from '../lab/ipv4.js';
import type { LabAppCore, LabCore } from '../lab/lab-core.js';
import type { PlannedCheck, PlannedFile } from './wiring.js';
import { commonAppEnv, escapeRegExp, RUN_DIR, stableNumber } from './common.js';
import type { AppDraft, AppContribution, AppOf, PathNames, Report, VppContribution, VppPath } from './vpp-path.js';

export interface VclOptions {
  /** undefined: the default namespace. */
  namespace?: { id: string; secret: number };
  rxFifoSize: number;
  txFifoSize: number;
}

/** The two paths into VPP's session layer share their options, wiring and checks. */
const VCL_PATHS = ['vcl', 'vcl-ldpreload'] as const;
type VclPathName = (typeof VCL_PATHS)[number];
type VclApp = AppOf<VclPathName, VclOptions>;
const isVclApp = (app: LabAppCore): app is VclApp => (VCL_PATHS as readonly string[]).includes(app.path);

/** What vcl and vcl-ldpreload have in common as path modules. */
export const vclPathBase = {
  hostNeeds: [],
  addressing: 'vpp-hosts-app',
  optionsKey: 'vcl',
  optionsSchema: {
    "description": "VCL options (paths: vcl, vcl-ldpreload).",
    "type": "object",
    "additionalProperties": false,
    "properties": {
      "namespace-id": {
        "description": "An app namespace of its own, created in VPP and named in the app's vcl.conf. Default: the default namespace.",
        "type": "string",
        "pattern": "^[A-Za-z0-9_-]+$",
        "x-fix": "use letters, digits, '-' and '_'"
      },
      "namespace-secret": {
        "description": "The namespace's secret (a number). Default: derived from the lab and app names.",
        "type": "integer",
        "minimum": 1
      },
      "rx-fifo-size": {
        "description": "Bytes per session receive fifo. Default 4000000.",
        "type": "integer",
        "minimum": 4096
      },
      "tx-fifo-size": {
        "description": "Bytes per session transmit fifo. Default 4000000.",
        "type": "integer",
        "minimum": 4096
      }
    }
  },
  // The session layer is part of VPP's core (vnet); no plugin to load.
  plugins: [],
} as const satisfies Partial<VppPath<VclPathName, VclOptions>>;

export const VCL_CONF = '/etc/vpp/vcl.conf';

/**
 * Where an app finds VCL's client libraries whatever its image: VPP's container copies them there
 * from its own image, into a volume the apps mount read-only (as Calico/VPP hands VCL to pods). The
 * libraries then always match the VPP that runs, even after the prefix is rebuilt.
 */
export const VCL_LIB_DIR = '/opt/vppkit/vcl';
export const VCL_LIB_PATH = 'LD_LIBRARY_PATH';

const vclLibVolume = (names: PathNames): string => names.resource(names.vppNode, 'vcl-lib');

/**
 * libvcl_ldpreload.so and everything it loads beyond the C library (libvppcom, libvppinfra, libsvm,
 * ..., and the distribution's libraries they need), found through the linker cache, so the same
 * lines work for FD.io's packages, a prefix and a VPP image of the user's. Each file is replaced by a
 * rename: an app that runs keeps the file it mapped.
 */
const COPY_VCL_LIBS = [
  '# VCL\'s client libraries for the apps, whatever their images (written by vppkit).',
  "vcl_lib=$(ldconfig -p | awk '$1 ~ /^libvcl_ldpreload[.]so/ { print $NF; exit }')",
  `[ -n "$vcl_lib" ] || { echo "vppkit: this VPP image has no libvcl_ldpreload.so in its linker cache (ldconfig -p); its vcl and vcl-ldpreload apps load it" >&2; exit 1; }`,
  'vcl_needs=$(ldd "$vcl_lib")',
  `rm -rf ${VCL_LIB_DIR}/.new && mkdir -p ${VCL_LIB_DIR}/.new`,
  `cp -L "$vcl_lib" ${VCL_LIB_DIR}/.new/libvcl_ldpreload.so`,
  `echo "$vcl_needs" | awk '$2 == "=>" && substr($3, 1, 1) == "/" { print $1, $3 }' | while read -r name file; do`,
  '  case "$name" in libc.so.*|libm.so.*|libmvec.so.*|libdl.so.*|libpthread.so.*|librt.so.*|libresolv.so.*|libanl.so.*|libutil.so.*|libnsl.so.*|libthread_db.so.*|ld-linux*) continue ;; esac',
  `  cp -L "$file" "${VCL_LIB_DIR}/.new/$name"`,
  'done',
  `for f in ${VCL_LIB_DIR}/.new/*; do mv -f "$f" ${VCL_LIB_DIR}/; done`,
  `rmdir ${VCL_LIB_DIR}/.new`,
].join('\n');
/** Measured in the VPP-tier non-root test: the vcl template's server as uid 4321 with only the group. */
export function vclNonRoot(more: string): { works: true; why: string } {
  return {
    works: true,
    why: `the app needs only its app namespace's socket in /run/vpp/app_ns_sockets, which VPP makes writable by its group; VPP passes the fifos' shared memory and event file descriptors over it${more}`,
  };
}

export function resolveVclOptions(app: AppDraft, lab: { name: string }): VclOptions {
  const raw = app.raw ?? {};
  const id = raw['namespace-id'] as string | undefined;
  return {
    ...(id !== undefined && {
      namespace: {
        id,
        // Stable across runs and different per lab, so two labs never share a namespace secret.
        secret: (raw['namespace-secret'] as number | undefined) ?? 1 + stableNumber(`${lab.name}/${id}`, 2 ** 31),
      },
    }),
    rxFifoSize: (raw['rx-fifo-size'] as number | undefined) ?? 4_000_000,
    txFifoSize: (raw['tx-fifo-size'] as number | undefined) ?? 4_000_000,
  };
}

export function checkVclNamespaces(apps: readonly (VclApp & { at: readonly (string | number)[] })[], report: Report): void {
  const secrets = new Map<string, { app: string; secret: number }>();
  for (const app of apps) {
    const namespace = app.options.namespace;
    if (!namespace) continue;
    if (namespace.id === 'default') {
      report([...app.at, 'vcl', 'namespace-id'], '"default" is VPP\'s own namespace', 'leave namespace-id out to use it, or pick another name');
      continue;
    }
    const first = secrets.get(namespace.id);
    if (!first) secrets.set(namespace.id, { app: app.name, secret: namespace.secret });
    else if (first.secret !== namespace.secret) {
      report(
        [...app.at, 'vcl', 'namespace-secret'],
        `namespace ${namespace.id} already has another secret (from app "${first.app}")`,
        'apps in one namespace share its secret: give both the same namespace-secret, or leave it out of both',
      );
    }
  }
}

/** VPP hosts a VCL app's address on a loopback of its own; the app binds and connects there. */
export function vclVppContribution(app: VclApp, lab: LabCore, names: PathNames): VppContribution {
  const loop = `loop${app.index}`;
  const cli = [
    `create loopback interface instance ${app.index}`,
    `set interface ip address ${loop} ${formatInterfaceAddress(app.link.app)}`,
    `set interface state ${loop} up`,
  ];
  const namespace = app.options.namespace;
  const firstInNamespace = lab.apps.filter(isVclApp).find((other) => other.options.namespace?.id === namespace?.id);
  if (namespace && firstInNamespace?.name === app.name) {
    cli.push(`app ns add id ${namespace.id} secret ${namespace.secret} if ${loop}`);
  }
  return {
    startup: { session: ['enable'] },
    cli,
    volumes: [{ name: vclLibVolume(names), target: VCL_LIB_DIR, why: 'VCL\'s client libraries, copied from VPP\'s image when it starts, for apps whose images have none' }],
    entrySteps: [COPY_VCL_LIBS],
  };
}

export function vclConf(options: VclOptions): string {
  const socket = `${RUN_DIR}/app_ns_sockets/${options.namespace?.id ?? 'default'}`;
  return [
    'vcl {',
    `  app-socket-api ${socket}`,
    '  app-scope-local',
    '  app-scope-global',
    '  use-mq-eventfd',
    `  rx-fifo-size ${options.rxFifoSize}`,
    `  tx-fifo-size ${options.txFifoSize}`,
    ...(options.namespace ? [`  namespace-id ${options.namespace.id}`, `  namespace-secret ${options.namespace.secret}`] : []),
    '}',
    '',
  ].join('\n');
}

export function vclAppContribution(
  app: VclApp,
  lab: LabCore,
  names: PathNames,
  extra: { env: Record<string, string>; processOnlyEnv: string[]; why: string },
): AppContribution {
  const file: PlannedFile = { path: VCL_CONF, content: vclConf(app.options), mode: 0o644 };
  return {
    runVolume: true,
    networkMode: 'bridge',
    // The lab's VPP's libraries before any the image has: they speak that VPP's API version.
    env: { ...commonAppEnv(app, lab), VCL_CONFIG: VCL_CONF, [VCL_LIB_PATH]: VCL_LIB_DIR, ...extra.env },
    // Every process of the container may have it (a dev container's compilers and shells too): the
    // folder holds only VCL's libraries and the same distribution's libraries they need.
    ...(extra.processOnlyEnv.length && { processOnlyEnv: extra.processOnlyEnv }),
    files: [file],
    readOnlyVolumes: [{ name: vclLibVolume(names), target: VCL_LIB_DIR }],
    imageNeeds: [{ kind: 'loads-libraries', dir: VCL_LIB_DIR, why: extra.why }],
  };
}

/** VPP hosts the app's address (and its namespace, when it has one). */
export function vclConfigured(app: VclApp, vppNode: string): PlannedCheck[] {
  const loop = `loop${app.index}`;
  const checks: PlannedCheck[] = [
    {
      node: vppNode,
      about: app.name,
      description: `VPP hosts ${app.name}'s address ${formatInterfaceAddress(app.link.app)} on ${loop}`,
      run: { kind: 'vppctl', args: ['show', 'interface', 'address', loop] },
      expect: `L3 ${escapeRegExp(formatInterfaceAddress(app.link.app))}`,
    },
  ];
  const namespace = app.options.namespace;
  if (namespace) {
    checks.push({
      node: vppNode,
      about: app.name,
      description: `VPP has the app namespace ${namespace.id}`,
      run: { kind: 'vppctl', args: ['show', 'app', 'ns'] },
      expect: `(?:^|\\s)${escapeRegExp(namespace.id)}(?:\\s|$)`,
    });
  }
  return checks;
}

/** The app is attached to VPP's session layer: `appName` is a regular expression for the whole name `show app` lists. */
export function vclAttached(app: VclApp, vppNode: string, appName: string): PlannedCheck {
  return {
    node: vppNode,
    about: app.name,
    description: `${app.name} is attached to VPP's session layer`,
    run: { kind: 'vppctl', args: ['show', 'app'] },
    expect: `(?:^|\\s)${appName}(?:\\s|$)`,
    hints: [
      {
        when: '[\\s\\S]',
        says:
          app.path === 'vcl-ldpreload'
            ? `${app.name} never attached to VPP's session layer: its program was not preloaded (an entrypoint that clears LD_PRELOAD, a setuid program) or it never started. Fix: run it with the container's environment (LD_PRELOAD, LD_LIBRARY_PATH, VCL_CONFIG), and see its log lines below`
            : `${app.name} never attached to VPP's session layer: a vcl app attaches when it calls vppcom_app_create (VCL_CONFIG names its vcl.conf). Fix: check that its program does, and see its log lines below`,
      },
    ],
  };
}

/**
 * Without a check of the app's own, the smoke check looks for its listener in VPP's session table, on
 * its address or the wildcard. VPP's session layer has no dual-stack sockets: a listener on [::]
 * (many servers' default) never accepts an IPv4 client, so that is named, with the fix.
 */
export function vclListening(app: VclApp, lab: LabCore, vppNode: string): PlannedCheck {
  const { ip } = app.link.app;
  const port = app.port;
  // Another app of the namespace on the same port could own a wildcard listener: then only this app's address counts.
  const portShared = lab.apps.filter(isVclApp).some((other) => other.name !== app.name && other.port === port && other.options.namespace?.id === app.options.namespace?.id);
  const addresses = portShared ? escapeRegExp(ip) : `(?:${escapeRegExp(ip)}|0\\.0\\.0\\.0)`;
  return {
    node: vppNode,
    about: app.name,
    description: `${app.name} listens on ${ip}:${port} in VPP's session layer`,
    run: { kind: 'vppctl', args: ['show', 'session', 'verbose'] },
    expect: `${addresses}:${port}->\\S*\\s+LISTEN`,
    hints: [
      {
        when: `(?:^|\\s):::${port}->\\S*\\s+LISTEN`,
        says:
          `${app.name} listens on [::]:${port} only: VPP's session layer has no dual-stack sockets, so that listener never accepts an IPv4 client (the app's address is ${ip}). ` +
          `Fix: make it listen on 0.0.0.0:${port} or ${ip}:${port} (nginx: \`listen ${port};\` rather than \`listen [::]:${port};\` alone; Node: server.listen(${port}, '0.0.0.0'); Python: bind(('0.0.0.0', ${port})))`,
      },
      {
        // At the output's start only (hints match line by line): no listener on the port anywhere.
        when: `(?<![\\s\\S])(?![\\s\\S]*:${port}->\\S*\\s+LISTEN)`,
        says:
          `nothing listens on port ${port} in VPP's session layer. Fix: if ${app.name} serves on another port, set \`port:\` on it in the lab file; ` +
          `if it is a client, give it a \`check:\` of its own (e.g. the request it makes); if it should listen there, \`vppkit logs ${app.name}\` says why it does not`,
      },
    ],
  };
}
