// The direction data flows in vppkit, bottom to top: lab file -> model -> plan -> engine and exports.
// A module may import from its own layer and the layers below it, never from one above. Layers on the
// same rank (engine and export; commands and scaffold) do not import each other either.
// `npm test` runs this (test/unit/layers.test.ts); README's "Layout" names the same order.
const LAYERS = [
  { rank: 0, name: 'base', path: '^src/(util/|config/|version\\.ts$)' },
  { rank: 1, name: 'model', path: '^src/lab/(lab-core|lab-input|lab-error|lab-limits|lab-yaml|yaml-locator|ipv4|startup-stanzas)\\.ts$' },
  { rank: 2, name: 'paths', path: '^src/paths/' },
  { rank: 3, name: 'loader', path: '^src/lab/(lab-model|lab-schema|load-lab|lab-addresses|schema-validate|schema-prune)\\.ts$|^src/lab/lab-validator\\.generated\\.(js|d\\.ts)$' },
  { rank: 4, name: 'plan', path: '^src/plan/' },
  { rank: 5, name: 'images', path: '^src/images/' },
  { rank: 6, name: 'engine', path: '^src/engine/' },
  { rank: 6, name: 'export', path: '^src/export/' },
  { rank: 7, name: 'commands', path: '^src/commands/' },
  { rank: 7, name: 'scaffold', path: '^src/scaffold/' },
  { rank: 8, name: 'cli', path: '^src/cli/' },
];

const anyOf = (layers) => layers.map((layer) => `(${layer.path})`).join('|');

const forbidden = LAYERS.flatMap((layer) => {
  const notBelow = LAYERS.filter((other) => other !== layer && other.rank >= layer.rank);
  const below = LAYERS.filter((other) => other.rank < layer.rank).map((other) => other.name);
  return notBelow.length
    ? [
        {
          name: `${layer.name}-imports-up`,
          comment: `${layer.name} may import from itself and the layers below it (${below.join(', ') || 'none'}) only`,
          severity: 'error',
          from: { path: layer.path },
          to: { path: anyOf(notBelow) },
        },
      ]
    : [];
});

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    ...forbidden,
    {
      name: 'no-cycles',
      severity: 'error',
      from: { path: '^src/' },
      to: { circular: true },
    },
    {
      name: 'every-module-in-a-layer',
      comment: 'a new folder under src/ needs its place in LAYERS',
      severity: 'error',
      from: { path: '^src/', pathNot: anyOf(LAYERS) },
      to: {},
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '\\.json$' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.js'] },
  },
};
