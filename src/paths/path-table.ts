import { PATH_NAMES, pathModule } from './registry.js';

/** Where the README's table of paths sits; `node scripts/generate.mjs` rewrites what is between. */
export const PATH_TABLE_MARKERS = ['<!-- paths table: made from src/paths by scripts/generate.mjs -->', '<!-- end of paths table -->'] as const;

/** The README's table of paths, from the path modules' own prose. */
export function renderPathTable(): string {
  const rows = PATH_NAMES.map((name) => {
    const { flag, prose } = pathModule(name);
    // "VCL, native" reads as **VCL**, native.
    const [head, tail] = prose.title.split(/, (.*)/);
    const title = `**${head}**${tail ? `, ${tail}` : ''}`;
    return `| ${title} (\`--${flag}\`) | ${prose.sees} | ${prose.useWhen} | ${prose.costs} |`;
  });
  return ['| path (`--flag`) | what the app sees | use it when | what it costs |', '|---|---|---|---|', ...rows].join('\n');
}

/** `text` with the table between its markers replaced by `table`. */
export function withPathTable(text: string, table: string): string {
  const [start, end] = PATH_TABLE_MARKERS;
  const from = text.indexOf(start);
  const to = text.indexOf(end);
  if (from < 0 || to < from) throw new Error(`no "${start}" ... "${end}" markers to put the table between`);
  return `${text.slice(0, from + start.length)}\n${table}\n${text.slice(to)}`;
}
