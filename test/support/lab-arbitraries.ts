import fc from 'fast-check';
import { stringify } from 'yaml';
import { PATH_NAMES } from '../../src/lab/lab-model.js';

// Generators for the lab loader's property tests (test/unit/lab-fuzz.test.ts): text that is YAML by
// accident, text built from YAML's own punctuation, and labs of the right shape with values that are
// sometimes wrong, so that both the YAML layer and the checks behind the schema are reached.

/** Any text at all, control characters and astral code points included. */
export const anyText = fc.oneof(fc.string({ unit: 'binary', maxLength: 400 }), fc.string({ unit: 'binary-ascii', maxLength: 400 }));

const word = fc.constantFrom('name', 'apps', 'path', 'vpp', 'pool', 'memif', 'vcl', 'tap', 'af_xdp', 'env', 'address', 'vpp-address', 'release', 'startup', 'cli', 'id', 'a', 'x');
const scalar = fc.oneof(
  word,
  fc.constantFrom(...PATH_NAMES, 'null', '~', 'true', 'no', '0x1F', '1e3', '.inf', '-.nan', '26.06', '"26.06"', "'q''s'", '10.77.0.0/16', '10.1.1.2/24', '""', '2001-01-01'),
  fc.integer().map(String),
  fc.string({ maxLength: 12 }),
);
const punctuation = fc.constantFrom(
  ': ', ':', '- ', '-', '[', ']', '{', '}', ', ', '? ', '&a ', '&b ', '*a', '*b', '!!str ', '!!map ', '!!seq ', '!!binary ', '!custom ', '!<tag:x> ',
  '|', '|-', '>+', '#', ' # c', '"', "'", '\\', '\t', '---\n', '...\n', '%YAML 1.2\n', '%TAG ! tag:x,2000:\n', '<<: ', '@', '`', '\r\n', '\u00a0', '\ufeff',
);
const indent = fc.nat({ max: 12 }).map((n) => `\n${' '.repeat(n)}`);
const deep = fc.tuple(fc.constantFrom('[', '{a: ', '- '), fc.integer({ min: 10, max: 3000 })).map(([open, depth]) =>
  open === '- ' ? Array.from({ length: depth }, (_, i) => `${' '.repeat(i)}- `).join('\n') : open.repeat(depth),
);
const hugeScalar = fc.integer({ min: 1_000, max: 200_000 }).map((n) => 'x'.repeat(n));

const yamlishParts = fc.array(fc.oneof({ weight: 5, arbitrary: scalar }, { weight: 5, arbitrary: punctuation }, { weight: 4, arbitrary: indent }), { maxLength: 120 });

/** Text made of YAML's punctuation, lab words and scalars: mostly almost-YAML, one in eight deeply nested or with a huge scalar. */
export const yamlishText = fc
  .tuple(yamlishParts, fc.oneof({ weight: 7, arbitrary: fc.constant('') }, { weight: 1, arbitrary: fc.oneof(deep, hugeScalar) }), yamlishParts)
  .map(([before, big, after]) => [...before, big, ...after].join(''));

/** A lab that is valid, with random tokens spliced into it: errors close to where real ones are. */
export const mutatedLab = fc
  .tuple(
    fc.constantFrom(
      'name: demo\napps:\n  - name: app\n    path: memif\n',
      'name: demo\npool: 10.77.0.0/16\nvpp:\n  release: "26.06"\n  startup:\n    statseg: "size 64M"\napps:\n  - name: a\n    path: vcl\n    vcl: { namespace-id: blue }\n  - name: b\n    path: tap\n    address: 10.77.9.2/24\n',
      'name: x\ncommon: &c { LOG: debug }\napps: [{ name: a, path: af_xdp, env: *c }, { name: b, path: af_packet, env: *c }]\n',
    ),
    fc.array(fc.tuple(fc.nat(), fc.oneof(punctuation, scalar, indent)), { minLength: 1, maxLength: 6 }),
  )
  .map(([text, edits]) => edits.reduce<string>((out, [at, insert]) => out.slice(0, at % (out.length + 1)) + insert + out.slice(at % (out.length + 1)), text));

/** DNS labels, cheaply: fc.stringMatching is slow enough to dominate these tests' time. */
const dnsLabel = fc.tuple(fc.constantFrom('app', 'a', 'web', 'db-1', 'client', 'echo-server', 'x'), fc.nat({ max: 99 })).map(([word, n]) => `${word}${n}`);
const appName = fc.oneof({ weight: 4, arbitrary: dnsLabel }, { weight: 1, arbitrary: fc.constantFrom('app', 'vpp', 'App_1', '-x', '', 'a'.repeat(41)) });
const address = fc.oneof(
  fc.tuple(fc.integer({ min: 0, max: 3 }), fc.integer({ min: 0, max: 255 }), fc.integer({ min: 0, max: 255 }), fc.constantFrom(16, 24, 30)).map(([a, b, c, len]) => `10.${a}.${b}.${c}/${len}`),
  fc.constantFrom('10.1.1.0/24', '10.1.1.255/24', '10.1.1.2', '300.1.1.2/24', '10.1.1.2/31', 'nonsense'),
);
const optionValue = fc.oneof(fc.integer({ min: -2, max: 70_000 }), fc.boolean(), fc.constantFrom('memif.sock', 'a.sock', 'master', 'slave', 'ip', 'all', 'blue', 'default', 'has space', ''));
const optionsBlock = fc.dictionary(
  fc.constantFrom('id', 'socket', 'role', 'mode', 'ring-size', 'buffer-size', 'queues', 'secret', 'namespace-id', 'namespace-secret', 'rx-fifo-size', 'queues', 'zero-copy', 'host-if-name', 'mtu', 'typo'),
  optionValue,
  { maxKeys: 4 },
);

const app = fc.record(
  {
    name: appName,
    path: fc.oneof({ weight: 8, arbitrary: fc.constantFrom(...PATH_NAMES) }, { weight: 1, arbitrary: fc.constantFrom('memf', 'VCL', '') }),
    build: fc.constantFrom('.', 'app', ''),
    image: fc.constantFrom('alpine:3', ''),
    command: fc.oneof(fc.string({ maxLength: 20 }), fc.array(fc.string({ maxLength: 8 }), { maxLength: 3 })),
    env: fc.dictionary(fc.constantFrom('LOG', 'MODE', 'a b', ''), fc.oneof(fc.string({ maxLength: 8 }), fc.integer(), fc.boolean()), { maxKeys: 3 }),
    address,
    'vpp-address': address,
    port: fc.integer({ min: -1, max: 70_000 }),
    privileged: fc.boolean(),
    memif: optionsBlock,
    vcl: optionsBlock,
    tap: optionsBlock,
    af_xdp: optionsBlock,
  },
  { requiredKeys: ['name', 'path'] },
);

const vpp = fc.record(
  {
    release: fc.constantFrom('26.06', '26.10', '26'),
    image: fc.constantFrom('registry.example/vpp:1'),
    'apt-repository': fc.constantFrom('https://mirror.example/fdio', 'ftp://x'),
    workers: fc.integer({ min: -1, max: 70 }),
    hugepages: fc.oneof(fc.boolean(), fc.constantFrom('512M', '1G', 'lots')),
    plugins: fc.array(fc.constantFrom('nat44_ei', 'dpdk', 'acl', 'Bad'), { maxLength: 3 }),
    startup: fc.dictionary(fc.constantFrom('statseg', 'dpdk', 'plugins', 'acl-plugin', 'unix'), fc.constantFrom('size 64M', '{', 'x { y }', '}'), { maxKeys: 2 }),
    cli: fc.array(fc.constantFrom('show version', ''), { maxLength: 2 }),
  },
  { requiredKeys: [] },
);

/** A lab of the right shape: names, paths from PATH_NAMES, addresses and options, some of them wrong. */
export const labShaped = fc
  .record(
    {
      name: appName,
      pool: fc.constantFrom('10.77.0.0/16', '10.77.0.0/22', '10.77.3.0/16', '10.0.0.0/8', 'x'),
      vpp,
      apps: fc.array(app, { minLength: 1, maxLength: 8 }),
    },
    { requiredKeys: ['name', 'apps'] },
  )
  .map((lab) => stringify(lab));

const validOptions: Record<string, fc.Arbitrary<Record<string, unknown>>> = {
  memif: fc.record({ 'ring-size': fc.constantFrom(256, 1024), queues: fc.integer({ min: 1, max: 4 }), mode: fc.constantFrom('ethernet', 'ip'), secret: fc.constantFrom('s3cret') }, { requiredKeys: [] }),
  vcl: fc.record({ 'namespace-id': fc.constantFrom('blue', 'red'), 'rx-fifo-size': fc.constantFrom(4096, 65536) }, { requiredKeys: [] }),
  af_xdp: fc.record({ queues: fc.integer({ min: 1, max: 4 }), 'zero-copy': fc.boolean() }, { requiredKeys: [] }),
  tap: fc.record({ mtu: fc.constantFrom(1500, 9000) }, { requiredKeys: [] }),
};
const optionsKeyOf: Record<string, string | undefined> = { memif: 'memif', vcl: 'vcl', 'vcl-ldpreload': 'vcl', af_xdp: 'af_xdp', tap: 'tap' };

const validApp = (name: string) =>
  fc.constantFrom(...PATH_NAMES).chain((path) => {
    const key = optionsKeyOf[path];
    return fc.record(
      {
        name: fc.constant(name),
        path: fc.constant(path),
        command: fc.oneof(fc.constantFrom('./app -v'), fc.constant(['./app', '--once'])),
        env: fc.dictionary(fc.constantFrom('LOG', 'MODE', 'PEER', 'N'), fc.oneof(fc.string({ maxLength: 8 }), fc.integer(), fc.boolean()), { maxKeys: 3 }),
        port: fc.integer({ min: 1, max: 65535 }),
        ...(key && { [key]: validOptions[key]! }),
      },
      { requiredKeys: ['name', 'path'] },
    );
  });

/** A lab that is valid by construction unless the paths' own cross-checks object (memif sockets, VCL namespaces, ...). */
export const validShapedLab = fc
  .tuple(dnsLabel, fc.uniqueArray(dnsLabel, { minLength: 1, maxLength: 12 }))
  .chain(([name, apps]) => fc.record({ name: fc.constant(name), pool: fc.constantFrom('10.77.0.0/16', '10.0.0.0/8', '10.77.0.0/20'), apps: fc.tuple(...apps.map(validApp)) }, { requiredKeys: ['name', 'apps'] }))
  .map((lab) => stringify(lab));
