import { formatInterfaceAddress } from '../lab/ipv4.js';
import type { Lab, LabAppOf, MemifOptions } from '../lab/lab-model.js';
import { commonAppEnv, escapeRegExp, RUN_DIR, vppPingsApp } from './common.js';
import type { VppPath } from './vpp-path.js';

const DEFAULT_SOCKET = `${RUN_DIR}/memif.sock`;

/**
 * VPP numbers its memif sockets; id 0 is always /run/vpp/memif.sock and cannot be re-created.
 * Other sockets get ids 1.. in order of first use in the lab file, so the numbering is stable.
 */
export function memifSocketIds(lab: Lab): Map<string, number> {
  const ids = new Map<string, number>([[DEFAULT_SOCKET, 0]]);
  for (const app of lab.apps) {
    if (app.path === 'memif' && !ids.has(app.options.socket)) ids.set(app.options.socket, ids.size);
  }
  return ids;
}

export function memifInterfaceName(app: LabAppOf<'memif'>, lab: Lab): string {
  return `memif${memifSocketIds(lab).get(app.options.socket)}/${app.options.id}`;
}

export const memif: VppPath<'memif'> = {
  name: 'memif',
  summary: 'raw packets over shared memory with libmemif; no kernel, no capabilities',
  optionsKey: 'memif',
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
    const firstOnSocket = lab.apps.find((other) => other.path === 'memif' && other.options.socket === options.socket);
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
