import { formatInterfaceAddress } from '../lab/ipv4.js';
import type { LabAppCore, LabCore } from '../lab/lab-core.js';
import { commonAppEnv, escapeRegExp, RUN_DIR, vppPingsApp } from './common.js';
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

export const memif: VppPath<'memif', MemifOptions> = {
  name: 'memif',
  flag: 'memif',
  summary: 'raw packets over shared memory with libmemif; no kernel, no capabilities',
  prose: {
    title: 'memif',
    sees: 'raw Ethernet or IP frames in shared memory, through libmemif',
    useWhen: 'the app handles packets itself (a network function, a packet generator, a probe) and can be written against libmemif; built for containers',
    costs: 'the app is written to libmemif\'s API; no kernel sockets',
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
        "description": "The app's role; VPP takes the other. Default slave (VPP is master and owns the socket).",
        "enum": [
          "slave",
          "master"
        ]
      },
      "mode": {
        "description": "ethernet (default) or ip (no L2 header).",
        "enum": [
          "ethernet",
          "ip"
        ]
      },
      "ring-size": {
        "description": "Descriptors per ring, a power of two up to 32768. Default 1024.",
        "type": "integer",
        "minimum": 2,
        "maximum": 32768
      },
      "buffer-size": {
        "description": "Bytes per buffer. Default 2048.",
        "type": "integer",
        "minimum": 128,
        "maximum": 65535
      },
      "queues": {
        "description": "Queue pairs. Default 1.",
        "type": "integer",
        "minimum": 1,
        "maximum": 255
      },
      "secret": {
        "description": "Shared secret (at most 24 characters, no spaces).",
        "type": "string",
        "minLength": 1,
        "maxLength": 24,
        "pattern": "^\\S+$",
        "x-fix": "use up to 24 characters without spaces"
      }
    }
  },
  // Measured on VPP 26.10-rc0: connected again 1-3 s after VPP's start.
  afterVppRestart: { rewiresItself: true, why: 'libmemif\'s reconnect timer dials VPP\'s memif socket again until it answers' },
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
      },
      files: [],
    };
  },

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

  smoke(app, _lab, names) {
    return vppPingsApp(app, names.vppNode);
  },
};
