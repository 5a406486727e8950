import type { Lab } from '../lab/lab-model.js';
import { CLI_SOCKET, RUN_DIR, VPP_GROUP } from '../paths/common.js';

export interface StartupInputs {
  lab: Lab;
  plugins: readonly string[];
  /** Stanza bodies the paths contribute (e.g. session { enable }), deduplicated per stanza. */
  fromPaths: Record<string, string[]>;
}

/**
 * startup.conf for the lab. A body the lab gives for one of vppkit's own stanzas is appended inside it. Only the plugins in use are loaded, and no stanza is rendered for a
 * plugin that is not (VPP rejects those as unknown input); 4K buffer pages unless the lab asks for
 * hugepages, so VPP boots on any host.
 */
export function renderStartupConf({ lab, plugins, fromPaths }: StartupInputs): string {
  const { vpp } = lab;
  const stanzas = new Map<string, string[]>();
  // vppkit's and the paths' lines are settings: once each (two vcl apps both ask for `enable`).
  const add = (name: string, lines: readonly string[]): void => {
    const body = stanzas.get(name) ?? [];
    for (const line of lines) if (!body.includes(line)) body.push(line);
    stanzas.set(name, body);
  };
  // The lab's own bodies go in exactly as written: nested blocks repeat lines and closing braces.
  const append = (name: string, lines: readonly string[]): void => {
    stanzas.set(name, [...(stanzas.get(name) ?? []), ...lines]);
  };

  // No `exec` here: VPP waits two seconds before a startup exec (vlib/unix/main.c); the entry script
  // applies the lab's CLI as soon as the CLI answers instead.
  add('unix', ['nodaemon', `cli-listen ${CLI_SOCKET}`, 'log /tmp/vpp.log']);
  // VPP's shared-memory API segment (in VPP's container's /dev/shm; apps use the socket) is chowned
  // to the group, as its sockets are by VPP's gid (see VPP_USER): one group for everything of VPP's.
  add('api-segment', [`gid ${VPP_GROUP.gid}`]);
  add('api-trace', ['on']);
  add('socksvr', [`socket-name ${RUN_DIR}/api.sock`]);
  add('cpu', [`workers ${vpp.workers}`]);
  if (vpp.hugepages) {
    add('buffers', ['buffers-per-numa 16384', 'page-size default-hugepage']);
    add('memory', [`main-heap-size ${vpp.hugepages.size}`, 'main-heap-page-size default-hugepage']);
  } else {
    add('buffers', ['buffers-per-numa 16384', 'page-size 4K']);
  }
  add('plugins', ['plugin default { disable }', ...plugins.map((plugin) => `plugin ${plugin}_plugin.so { enable }`)]);
  for (const [name, lines] of Object.entries(fromPaths)) add(name, lines);
  for (const [name, body] of Object.entries(vpp.startup)) append(name, bodyLines(body));

  const names = [...stanzas.keys()].sort((a, b) => rank(a) - rank(b));
  return names.map((name) => renderStanza(name, stanzas.get(name)!)).join('\n') + '\n';
}

/** vppkit's own stanzas first, in this order; the lab's extra ones after, in the order it gave them. */
const STANZA_ORDER = ['unix', 'api-segment', 'api-trace', 'socksvr', 'cpu', 'buffers', 'memory', 'plugins', 'session'];

function rank(name: string): number {
  const index = STANZA_ORDER.indexOf(name);
  return index === -1 ? STANZA_ORDER.length : index;
}

function bodyLines(body: string): string[] {
  return body
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean);
}

function renderStanza(name: string, lines: readonly string[]): string {
  return `${name} {\n${lines.map((line) => `  ${line}`).join('\n')}\n}`;
}
