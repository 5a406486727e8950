import { formatInterfaceAddress } from '../lab/ipv4.js';
import type { LabAppCore, LabCore } from '../lab/lab-core.js';
import { CLI_SOCKET, commonAppEnv, escapeRegExp, RUN_DIR, stableNumber } from './common.js';
import type { AppOf, VppPath } from './vpp-path.js';

export interface MemifOptions {
  id: number;
  /** Absolute path under /run/vpp. */
  socket: string;
  appRole: 'slave' | 'master';
  mode: 'ethernet' | 'ip';
  ringSize: number;
  bufferSize: number;
  queues: number;
  secret?: string;
  /** The app dials VPP again by itself after VPP restarts (libmemif does; DPDK's net_memif does not). */
  redials: boolean;
}

export type MemifApp = AppOf<'memif', MemifOptions>;

const isMemifApp = (app: LabAppCore): app is MemifApp => app.path === 'memif';

const DEFAULT_SOCKET = `${RUN_DIR}/memif.sock`;

/**
 * VPP numbers its memif sockets; id 0 is always /run/vpp/memif.sock and cannot be re-created.
 * Other sockets get ids 1.. in order of first use in the lab file, so the numbering is stable.
 */
export function memifSocketIds(lab: LabCore): Map<string, number> {
  const ids = new Map<string, number>([[DEFAULT_SOCKET, 0]]);
  for (const app of lab.apps) {
    if (isMemifApp(app) && !ids.has(app.options.socket)) ids.set(app.options.socket, ids.size);
  }
  return ids;
}

export function memifInterfaceName(app: MemifApp, lab: LabCore): string {
  return `memif${memifSocketIds(lab).get(app.options.socket)}/${app.options.id}`;
}

/**
 * Locally administered MACs for the two ends of an app's memif in ethernet mode, stable across runs
 * (so an app that learnt VPP's MAC keeps it when VPP restarts): "VP" and "AP", then three bytes of the
 * lab's and app's names, so VPP's memifs differ from each other in a bridge domain.
 */
export function memifMacs(app: MemifApp, lab: LabCore): { vpp: string; app: string } {
  const tail = stableNumber(`${lab.name}/${app.name}`, 2 ** 24).toString(16).padStart(6, '0').replace(/(..)(?!$)/g, '$1:');
  return { vpp: `02:56:50:${tail}`, app: `02:41:50:${tail}` };
}

/**
 * DPDK's --vdev argument for net_memif, from the same options: a file socket (net_memif's default is
 * an abstract one), its ring size as a power of two, and the app's own MAC. Queues are not devargs
 * (the DPDK app configures them, testpmd with --rxq/--txq).
 */
function dpdkVdev(options: MemifOptions, mac: string): string {
  return [
    'net_memif0',
    `socket=${options.socket}`,
    'socket-abstract=no',
    `id=${options.id}`,
    `role=${options.appRole === 'slave' ? 'client' : 'server'}`,
    `rsize=${Math.log2(options.ringSize)}`,
    `bsize=${options.bufferSize}`,
    `mac=${mac}`,
    ...(options.secret ? [`secret=${options.secret}`] : []),
  ].join(',');
}

/**
 * The smoke check, run in VPP's container with nothing but sh and vppctl, so it assumes nothing of
 * the app's image: VPP pings the app, and the check passes when the app answers, or else when frames
 * crossed the memif both ways meanwhile (VPP's tx and rx counters on it grew), which an app that
 * forwards or reflects frames without answering pings does too. On failure it shows VPP's view of the
 * memif. Arguments: the interface, the app's address.
 */
const SMOKE_SCRIPT = [
  // vppctl ends its lines with \r\n: \r separates words too.
  "set -f; IFS=$(printf '\\r\\n\\t '); ifname=$1; ip=$2",
  `cli() { vppctl -s ${CLI_SOCKET} "$@"; }`,
  // VPP prints no counter line while a counter is 0.
  'frames() { w=$1; set -- $(cli show interface "$ifname"); while [ $# -ge 3 ]; do if [ "$1" = "$w" ] && [ "$2" = packets ]; then echo "$3"; return; fi; shift; done; echo 0; }',
  'tx=$(frames tx); rx=$(frames rx)',
  'ping=$(cli ping "$ip" repeat 3 interval 0.2)',
  'tx=$(($(frames tx) - tx)); rx=$(($(frames rx) - rx))',
  'echo "$ping"; echo "$ifname: $tx frames to the app, $rx from it"',
  'case $ping in *" sent, "[1-9]*) exit 0;; esac',
  '[ "$tx" -gt 0 ] && [ "$rx" -gt 0 ] && exit 0',
  'cli show memif "$ifname"; exit 1',
].join('; ');

export const memif: VppPath<'memif', MemifOptions> = {
  name: 'memif',
  flag: 'memif',
  summary: 'raw packets over shared memory with libmemif; no kernel, no capabilities',
  prose: {
    title: 'memif',
    sees: 'raw Ethernet or IP frames in shared memory, through libmemif, DPDK\'s net_memif or another memif library',
    useWhen: 'the app handles packets itself (a network function, a packet generator, a probe) and speaks memif, or can be written to; built for containers',
    costs: 'the app is written to a memif library\'s API (libmemif, DPDK\'s ethdev); no kernel sockets',
    howItWorks:
      'The app and VPP exchange raw frames through shared memory (memif), set up over the socket /run/vpp/memif.sock.\nNo kernel in between and no capabilities: the app links libmemif.',
    devContainerGets: 'VPP\'s /run/vpp (memif socket at /run/vpp/memif.sock), libmemif',
  },
  chooser: {
    handles: ['packets'],
    codeChanges: true,
    kernelHairpin: false,
    preference: 1,
    because: 'frames over shared memory, no kernel, no capabilities',
  },
  hostNeeds: [],
  addressing: 'link',
  optionsKey: 'memif',
  optionsSchema: {
    "description": "memif options (path: memif).",
    "type": "object",
    "additionalProperties": false,
    "properties": {
      "id": {
        "description": "Interface id on its socket, shared by VPP and the app.",
        "type": "integer",
        "minimum": 0,
        "maximum": 4294967295
      },
      "socket": {
        "description": "Socket file under /run/vpp (default memif.sock, VPP's socket id 0).",
        "type": "string",
        "pattern": "^(/run/vpp/)?[A-Za-z0-9._-]+\\.sock$",
        "x-fix": "give a file name ending in .sock, e.g. app.sock (it lives in /run/vpp)"
      },
      "role": {
        "description": "The app's role; VPP takes the other. Default slave (VPP is master and owns the socket). DPDK's net_memif calls them client and server.",
        "enum": [
          "slave",
          "master"
        ]
      },
      "mode": {
        "description": "ethernet (default) or ip (no L2 header; DPDK's net_memif speaks ethernet only).",
        "enum": [
          "ethernet",
          "ip"
        ]
      },
      "ring-size": {
        "description": "Descriptors per ring, a power of two up to 16384 (2^14, the memif protocol's largest ring: libmemif and DPDK's net_memif refuse more, VPP's CLI takes 32768 but cannot use it against them). Default 1024. The memif slave sets the rings up, so with role slave (the default) the app's own value is the one used: it reads VPPKIT_MEMIF_RING_SIZE.",
        "type": "integer",
        "minimum": 2,
        "maximum": 16384,
        "x-fix": "use a power of two up to 16384 (2^14, the memif protocol's largest ring)"
      },
      "buffer-size": {
        "description": "Bytes per buffer (VPP, libmemif and net_memif hold it in 16 bits). Default 2048. Set up by the memif slave, like ring-size; larger frames span several buffers.",
        "type": "integer",
        "minimum": 128,
        "maximum": 65535
      },
      "queues": {
        "description": "Queue pairs (VPP, libmemif and net_memif take up to 255). Default 1. The memif slave chooses how many rings it sets up; a DPDK app asks for them with its own queue count (testpmd: --rxq/--txq).",
        "type": "integer",
        "minimum": 1,
        "maximum": 255
      },
      "secret": {
        "description": "Shared secret: at most 23 characters (the protocol's field is 24 bytes, and libmemif, net_memif and VPP send 23 and a NUL), no spaces (VPP's CLI line), commas or \"=\" (DPDK's --vdev arguments).",
        "type": "string",
        "minLength": 1,
        "maxLength": 23,
        "pattern": "^[^\\s,=]+$",
        "x-fix": "use up to 23 characters, without spaces, commas or \"=\""
      },
      "redials": {
        "description": "Whether the app dials VPP's memif socket again by itself after VPP restarts, as libmemif's reconnect timer does. DPDK's net_memif dials only when its port starts: set false, and the lab restarts the app whenever VPP restarts. Default true.",
        "type": "boolean"
      }
    }
  },
  // Measured on VPP 26.10-rc0: connected again 1-3 s after VPP's start. Not so DPDK's net_memif (22.11):
  // it dials only when its port starts, so such an app needs `vppkit restart <app>` (the README says so).
  afterVppRestart: { rewiresItself: true, why: 'libmemif\'s reconnect timer dials VPP\'s memif socket again until it answers' },
  // When the app is master, VPP dials it again itself; a slave that does not redial is restarted.
  afterVppRestartFor: (app) =>
    app.options.redials || app.options.appRole === 'master'
      ? memif.afterVppRestart
      : { rewiresItself: false, why: 'the lab says it does not dial VPP again (redials: false, as DPDK\'s net_memif): it is restarted once VPP is back' },
  // Measured in the VPP-tier non-root test: memif-echo as uid 4321 with only the group.
  nonRoot: {
    works: true,
    why:
      'the app needs only the memif socket in /run/vpp, which VPP makes writable by its group, and the shared memory comes over it as file descriptors. '
      + 'An app that is memif master (role: master) makes the socket itself: with umask 002, so that VPP (root, but without the capability that overrides file modes) can connect',
  },
  template: 'memif',
  plugins: ['memif'],

  resolveOptions(app, _lab, report) {
    const raw = app.raw ?? {};
    const ringSize = (raw['ring-size'] as number | undefined) ?? 1024;
    if ((ringSize & (ringSize - 1)) !== 0) {
      const lower = 2 ** Math.floor(Math.log2(ringSize));
      report([...app.at, 'memif', 'ring-size'], `ring-size ${ringSize} is not a power of two`, `use ${lower} or ${lower * 2}`);
    }
    const socket = (raw.socket as string | undefined) ?? 'memif.sock';
    return {
      id: (raw.id as number | undefined) ?? app.index,
      socket: socket.startsWith('/') ? socket : `${RUN_DIR}/${socket}`,
      appRole: (raw.role as MemifOptions['appRole'] | undefined) ?? 'slave',
      mode: (raw.mode as MemifOptions['mode'] | undefined) ?? 'ethernet',
      ringSize,
      bufferSize: (raw['buffer-size'] as number | undefined) ?? 2048,
      queues: (raw.queues as number | undefined) ?? 1,
      ...(raw.secret !== undefined && { secret: raw.secret as string }),
      redials: (raw.redials as boolean | undefined) ?? true,
    };
  },

  checkLab(apps, report) {
    const byInterface = new Map<string, string>();
    const bySocket = new Map<string, { app: string; role: string }>();
    for (const app of apps) {
      const { socket, id, appRole } = app.options;
      const key = `${socket}#${id}`;
      const other = byInterface.get(key);
      if (other) {
        report([...app.at, 'memif', 'id'], `memif id ${id} on ${socket} is already used by app "${other}"`, `give each app on one socket its own memif.id`);
      } else byInterface.set(key, app.name);

      const first = bySocket.get(socket);
      if (!first) bySocket.set(socket, { app: app.name, role: appRole });
      else if (first.role === 'master' || appRole === 'master') {
        // The master listens on the socket file: an app that is master owns it alone.
        report(
          [...app.at, 'memif', appRole === 'master' ? 'role' : 'socket'],
          `socket ${socket} is shared with app "${first.app}", but an app that is memif master owns its socket alone`,
          `give this app its own memif.socket, e.g. ${app.name}.sock`,
        );
      }
    }
  },

  vpp(app, lab) {
    const { options } = app;
    const socketId = memifSocketIds(lab).get(options.socket)!;
    const ifname = memifInterfaceName(app, lab);
    const firstOnSocket = lab.apps.filter(isMemifApp).find((other) => other.options.socket === options.socket);
    const cli: string[] = [];
    if (socketId !== 0 && firstOnSocket?.name === app.name) {
      cli.push(`create memif socket id ${socketId} filename ${options.socket}`);
    }
    cli.push(
      [
        `create interface memif id ${options.id} socket-id ${socketId}`,
        options.appRole === 'slave' ? 'master' : 'slave',
        `ring-size ${options.ringSize} buffer-size ${options.bufferSize}`,
        // After buffer-size: VPP's CLI writes buffer-size's 4 bytes into a 2-byte field, over the flag
        // that says an hw-addr was given (VPP 26.10's memif cli.c); measured, an hw-addr before it is lost.
        options.mode === 'ethernet' ? `hw-addr ${memifMacs(app, lab).vpp}` : '',
        `rx-queues ${options.queues} tx-queues ${options.queues}`,
        options.mode === 'ip' ? 'mode ip' : '',
        options.secret ? `secret ${options.secret}` : '',
      ]
        .filter(Boolean)
        .join(' '),
      `set interface state ${ifname} up`,
      `set interface ip address ${ifname} ${formatInterfaceAddress(app.link.vpp)}`,
    );
    return { cli };
  },

  app(app, lab) {
    const { options } = app;
    return {
      runVolume: true,
      networkMode: 'bridge',
      env: {
        ...commonAppEnv(app, lab),
        VPPKIT_MEMIF_SOCKET: options.socket,
        VPPKIT_MEMIF_ID: String(options.id),
        VPPKIT_MEMIF_ROLE: options.appRole,
        VPPKIT_MEMIF_MODE: options.mode,
        VPPKIT_MEMIF_RING_SIZE: String(options.ringSize),
        VPPKIT_MEMIF_BUFFER_SIZE: String(options.bufferSize),
        VPPKIT_MEMIF_QUEUES: String(options.queues),
        ...(options.secret && { VPPKIT_MEMIF_SECRET: options.secret }),
        ...(options.mode === 'ethernet' && ethernetEnv(options, memifMacs(app, lab))),
      },
      files: [],
    };
  },

  vppInterface: (app, lab) => memifInterfaceName(app, lab),

  vppReady(app, lab, names) {
    const ifname = memifInterfaceName(app, lab);
    return [
      {
        node: names.vppNode,
        about: app.name,
        description: `VPP has memif ${ifname} for ${app.name}`,
        run: { kind: 'vppctl', args: ['show', 'memif', ifname] },
        expect: `^interface ${escapeRegExp(ifname)}$`,
      },
    ];
  },

  appReady(app, lab, names) {
    const ifname = memifInterfaceName(app, lab);
    return [
      {
        node: names.vppNode,
        about: app.name,
        description: `memif ${ifname} is connected to ${app.name}`,
        run: { kind: 'vppctl', args: ['show', 'memif', ifname] },
        expect: 'flags[^\\n]*\\bconnected\\b',
      },
    ];
  },

  smoke(app, lab, names) {
    return {
      node: names.vppNode,
      about: app.name,
      description: `VPP pings ${app.name} at ${app.link.app.ip}`,
      run: { kind: 'exec', cmd: ['sh', '-c', SMOKE_SCRIPT, 'memif-smoke', memifInterfaceName(app, lab), app.link.app.ip] },
    };
  },
};

/** Only in ethernet mode: MACs mean nothing in ip mode, and net_memif speaks ethernet only. */
function ethernetEnv(options: MemifOptions, macs: { vpp: string; app: string }): Record<string, string> {
  return {
    VPPKIT_MEMIF_VPP_MAC: macs.vpp,
    VPPKIT_MEMIF_APP_MAC: macs.app,
    VPPKIT_MEMIF_DPDK_VDEV: dpdkVdev(options, macs.app),
  };
}
