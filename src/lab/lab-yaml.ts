import { Composer, isAlias, isMap, isNode, isScalar, isSeq, LineCounter, Parser, visit, type Alias, type CST, type Document, type Node } from 'yaml';
import { formatCount, LabFileError, quote, type LabIssue } from './lab-error.js';
import { MAX_ALIASES, MAX_APPS, MAX_DEPTH, MAX_LAB_FILE_BYTES, MAX_VALUES } from './lab-limits.js';
import { YamlLocator } from './yaml-locator.js';

/** A lab file's YAML, read within the limits in lab-limits.ts: its nodes with positions, and its data. */
export interface LabYaml {
  doc: Document;
  locator: YamlLocator;
  data: unknown;
}

type Problem = { offset: number; message: string; fix: string };

const SYNTAX_FIX = 'correct the YAML syntax here (indentation, a missing ":" or quote)';

/**
 * Parses lab file text. Throws LabFileError with the YAML problems, or the limit the file passes,
 * before anything reads its data: the checks behind it see only a document that is safe to walk.
 */
export function parseLabYaml(source: string, file: string): LabYaml {
  const bytes = Buffer.byteLength(source);
  if (bytes > MAX_LAB_FILE_BYTES) throw tooLarge(source, file, bytes);

  const lines = new LineCounter();
  const fail = (problems: Problem[]): never => {
    throw new LabFileError(problems.map(({ offset, message, fix }): LabIssue => {
      const { line, col } = lines.linePos(offset);
      return { file, line, column: col, path: '', message, fix };
    }));
  };

  const tokens = [...new Parser(lines.addNewLine).parse(source)];
  // Composing is recursive: a document nested deeper than any lab would overflow the stack there.
  const deep = tooDeep(tokens);
  if (deep !== undefined) {
    fail([{ offset: deep, message: `YAML: collections nest more than ${MAX_DEPTH} deep here`, fix: 'a lab nests four deep at most (apps, an app, its options, a value): close the brackets or dedent' }]);
  }
  // Keys are checked below: the library's own check compares every key with every other (n² on a long map).
  const [doc, second] = [...new Composer({ uniqueKeys: false }).compose(tokens, true, source.length)] as [Document.Parsed, Document.Parsed?];
  const locator = new YamlLocator(doc, lines);

  // Only the first: a YAML mistake cascades into errors that are its consequences.
  const error = doc.errors[0];
  if (error) fail([{ offset: error.pos[0], message: `YAML: ${firstLine(error.message)}`, fix: SYNTAX_FIX }]);
  if (second) {
    fail([{ offset: second.range[0], message: 'YAML: a second document starts here; a lab file is one document', fix: 'remove the "---" line and what follows it, or make the two documents one' }]);
  }

  const { problems, targets, firstAlias } = structure(doc);
  if (problems.length) fail(problems);
  const past = expandedPastLimit(doc, targets);
  if (past) fail([past]);

  let data: unknown;
  try {
    // The library's own bound on aliases stays as a second guard; it counts otherwise and may trip first.
    data = doc.toJS({ maxAliasCount: MAX_VALUES });
  } catch (thrown) {
    // The library throws ReferenceError for its aliases; anything else is reported as it says.
    const aliases = thrown instanceof ReferenceError;
    fail([
      {
        offset: aliases ? (firstAlias ?? 0) : 0,
        message: `YAML: ${firstLine(thrown instanceof Error ? thrown.message : String(thrown))}`,
        fix: aliases ? 'write the values out instead of repeating them with aliases' : SYNTAX_FIX,
      },
    ]);
  }
  const apps = (data as { apps?: unknown } | null)?.apps;
  if (Array.isArray(apps) && apps.length > MAX_APPS) {
    const { line, column } = locator.valueAt(['apps', MAX_APPS]);
    throw new LabFileError([
      {
        file,
        line,
        column,
        path: `apps[${MAX_APPS}]`,
        message: `the lab has ${formatCount(apps.length)} apps, more than the ${formatCount(MAX_APPS)} a lab may have (each app is a container on this host)`,
        fix: `split it into labs of at most ${formatCount(MAX_APPS)} apps, each with a name of its own`,
      },
    ]);
  }
  return { doc, locator, data };
}

/** The library's messages may quote the source, which may be one huge line. */
function firstLine(message: string): string {
  const line = message.split('\n')[0]!;
  return line.length > 200 ? `${line.slice(0, 200)}...` : line;
}

/** The refusal of a file past MAX_LAB_FILE_BYTES, at the line where it passes the limit. `bytes` is unknown for a stream. */
export function tooLarge(source: string, file: string, bytes: number | undefined): LabFileError {
  const { read } = new TextEncoder().encodeInto(source, new Uint8Array(MAX_LAB_FILE_BYTES));
  const before = source.slice(0, read);
  const line = before.split('\n').length;
  const column = read - before.lastIndexOf('\n');
  const has = bytes === undefined ? 'more than the' : `${formatCount(bytes)} bytes, more than the`;
  return new LabFileError([
    {
      file,
      line,
      column,
      path: '',
      message: `the lab file has ${has} ${formatCount(MAX_LAB_FILE_BYTES)} (${MAX_LAB_FILE_BYTES / 1024} KiB) a lab file may have; it passes that here`,
      fix: 'a lab is a few kilobytes: keep scripts and data in files of the app\'s build folder, or split the lab',
    },
  ]);
}

/** The offset of the first collection nested deeper than MAX_DEPTH, walking the parser's tokens without recursion. */
function tooDeep(tokens: readonly CST.Token[]): number | undefined {
  const stack: { token: CST.Token; depth: number }[] = tokens.map((token) => ({ token, depth: 0 }));
  for (let next = stack.pop(); next; next = stack.pop()) {
    const { token, depth } = next;
    if (token.type === 'document') {
      if (token.value) stack.push({ token: token.value, depth });
    } else if (token.type === 'block-map' || token.type === 'block-seq' || token.type === 'flow-collection') {
      if (depth + 1 > MAX_DEPTH) return token.offset;
      for (const item of token.items) {
        if ('key' in item && item.key) stack.push({ token: item.key, depth: depth + 1 });
        if (item.value) stack.push({ token: item.value, depth: depth + 1 });
      }
    }
  }
  return undefined;
}

/**
 * One walk in document order: keys given twice, aliases with no anchor before them or inside what
 * they name (the library would throw, or build a cycle), and how many aliases there are.
 */
function structure(doc: Document.Parsed): { problems: Problem[]; targets: Map<Alias, Node>; firstAlias: number | undefined } {
  const problems: Problem[] = [];
  const anchors = new Map<string, Node>();
  const targets = new Map<Alias, Node>();
  let aliases = 0;
  let firstAlias: number | undefined;
  visit(doc, (_key, node, path) => {
    if (isAlias(node)) {
      const offset = node.range?.[0] ?? 0;
      firstAlias ??= offset;
      if (++aliases === MAX_ALIASES + 1) {
        problems.push({ offset, message: `YAML: more than ${formatCount(MAX_ALIASES)} aliases (*name); this one passes that`, fix: 'write the values out instead of repeating them with aliases' });
      }
      const target = anchors.get(node.source);
      if (!target) {
        problems.push({ offset, message: `YAML: the alias ${quote(`*${node.source}`)} has no anchor ${quote(`&${node.source}`)} before it`, fix: 'put the anchor on a value above this alias, or write the value here' });
      } else if (path.includes(target)) {
        problems.push({ offset, message: `YAML: the alias ${quote(`*${node.source}`)} is inside the value it names`, fix: 'an alias may repeat a value, not the value it is part of' });
      } else targets.set(node, target);
      return;
    }
    if (isNode(node) && node.anchor) anchors.set(node.anchor, node);
    if (isMap(node)) {
      // As the data has them: 1 and "1" are one key there.
      const seen = new Set<string>();
      for (const pair of node.items) {
        if (!isScalar(pair.key)) continue;
        const key = String(pair.key.value);
        if (!seen.has(key)) seen.add(key);
        else problems.push({ offset: pair.key.range?.[0] ?? 0, message: `YAML: the key ${quote(key)} is given twice`, fix: 'keep one of the two keys' });
      }
    }
  });
  return { problems, targets, firstAlias };
}

/** Where the document, aliases expanded, passes MAX_VALUES values: at the alias that repeats past it, if one does. */
function expandedPastLimit(doc: Document.Parsed, targets: ReadonlyMap<Alias, Node>): Problem | undefined {
  let values = 0;
  const stack: { node: unknown; via: Alias | undefined }[] = [{ node: doc.contents, via: undefined }];
  for (let next = stack.pop(); next; next = stack.pop()) {
    const { node, via } = next;
    if (isAlias(node)) {
      const target = targets.get(node);
      if (target) stack.push({ node: target, via: via ?? node });
      continue;
    }
    if (!isNode(node)) continue;
    if (++values > MAX_VALUES) {
      const limit = `more than ${formatCount(MAX_VALUES)} values (a lab of ${formatCount(MAX_APPS)} apps with every option set has about 50,000)`;
      return via
        ? { offset: via.range?.[0] ?? 0, message: `YAML: with its aliases repeated, the lab file stands for ${limit}; this alias passes that`, fix: 'repeat less with aliases: write shared values once, or shorten what the alias names' }
        : { offset: node.range?.[0] ?? 0, message: `the lab file holds ${limit}; it passes that here`, fix: 'split the lab, or keep data in files of the app\'s build folder' };
    }
    // Last item first, so that the walk goes in document order.
    if (isMap(node)) for (const pair of node.items.toReversed()) stack.push({ node: pair.value, via }, { node: pair.key, via });
    else if (isSeq(node)) for (const item of node.items.toReversed()) stack.push({ node: item, via });
  }
  return undefined;
}
