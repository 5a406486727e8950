import type { ErrorObject } from 'ajv';
import { closest, distance } from 'fastest-levenshtein';
import { quote } from './lab-error.js';
import validate from './lab-validator.generated.js';
import type { KeyPath } from './yaml-locator.js';

export interface SchemaIssue {
  /** Where to point: the value at `path`, or the key `key` inside it. */
  path: KeyPath;
  key?: string;
  message: string;
  fix?: string;
}

export interface SchemaVerdict {
  issues: SchemaIssue[];
  /** The values the schema rejects (not the objects that miss a key, nor unknown keys): what the checks behind it must not read. */
  rejected: KeyPath[];
}

export function validateAgainstSchema(data: unknown): SchemaVerdict {
  if (validate(data)) return { issues: [], rejected: [] };
  const issues: SchemaIssue[] = [];
  const rejected: KeyPath[] = [];
  const seenValues = new Set<string>();
  for (const error of validate.errors ?? []) {
    const path = toKeyPath(error.instancePath);
    if (error.keyword !== 'required' && error.keyword !== 'additionalProperties') rejected.push(path);
    const issue = translate(error, path);
    // One message per value: a value that fails a union (oneOf, several types) fails each branch.
    // An object that misses two keys gets a message for each.
    const id = issue.key === undefined ? `value:${error.instancePath}${error.keyword === 'required' ? `:${issue.message}` : ''}` : `key:${error.instancePath}/${issue.key}`;
    if (seenValues.has(id)) continue;
    seenValues.add(id);
    issues.push(issue);
  }
  return { issues, rejected };
}

function translate(error: ErrorObject, path: KeyPath): SchemaIssue {
  const parent = error.parentSchema as { 'x-fix'?: string; properties?: Record<string, unknown>; enum?: unknown[]; description?: string } | undefined;
  const fix = parent?.['x-fix'];
  switch (error.keyword) {
    case 'additionalProperties': {
      const key = String((error.params as { additionalProperty: string }).additionalProperty);
      const known = Object.keys(parent?.properties ?? {});
      const suggestion = known.length ? closest(key, known) : undefined;
      const near = suggestion && distanceIsSmall(key, suggestion);
      return {
        path,
        key,
        message: `unknown key ${quote(key)}`,
        fix: near ? `did you mean "${suggestion}"?` : `known keys here: ${known.join(', ')}`,
      };
    }
    case 'required': {
      const missing = (error.params as { missingProperty: string }).missingProperty;
      // name is required of the lab and of each app: the lab's fix would be wrong for an app.
      const hint = path.length && missing === 'name' ? 'add a name, e.g. name: app' : REQUIRED_FIXES[missing];
      return { path, message: `missing required key "${missing}"`, fix: hint ?? `add ${missing}:` };
    }
    case 'enum': {
      const allowed = (error.params as { allowedValues: unknown[] }).allowedValues.map(String);
      const got = String(error.data);
      const suggestion = closest(got, allowed);
      return {
        path,
        message: `${quote(error.data)} is not one of ${allowed.join(', ')}`,
        fix: distanceIsSmall(got, suggestion) ? `did you mean "${suggestion}"?` : `use one of ${allowed.join(', ')}`,
      };
    }
    case 'type': {
      const expected = String((error.params as { type: string | string[] }).type).replace(',', ' or ');
      return { path, message: `must be ${article(expected)}, not ${describe(error.data)}`, fix: fix ?? hintForType(expected) };
    }
    case 'oneOf':
    case 'const':
      return { path, message: `${quote(error.data)} is not allowed here`, fix: fix ?? parent?.description ?? '' };
    case 'minItems':
      return { path, message: 'must not be empty', fix: path.at(-1) === 'apps' ? REQUIRED_FIXES.apps! : 'add at least one item' };
    default:
      return { path, message: `${quote(error.data)}: ${error.message ?? 'is not valid'}`, ...(fix && { fix }) };
  }
}

const REQUIRED_FIXES: Record<string, string> = {
  name: 'add a lab name, e.g. name: my-lab',
  apps: 'add at least one app, e.g. apps: [{ name: app, path: memif }]',
  path: 'add path: memif (or tap, af_xdp, vcl, vcl-ldpreload)',
};

function toKeyPath(pointer: string): KeyPath {
  if (!pointer) return [];
  return pointer
    .slice(1)
    .split('/')
    .map((part) => part.replaceAll('~1', '/').replaceAll('~0', '~'))
    .map((part) => (/^\d+$/.test(part) ? Number(part) : part));
}

/** "closest" always answers; suggest only a near word (a typo), not merely the least far. */
export function distanceIsSmall(a: string, b: string): boolean {
  return distance(a.toLowerCase(), b.toLowerCase()) <= Math.max(2, Math.floor(b.length / 3));
}

function article(type: string): string {
  return /^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`;
}

function describe(value: unknown): string {
  if (value === null) return 'empty';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  return `${typeof value} ${quote(value)}`;
}

function hintForType(expected: string): string {
  if (expected === 'string') return 'quote the value, e.g. "26.06"';
  if (expected === 'array') return 'write a list, e.g. [a, b] or one "- item" per line';
  if (expected === 'object') return 'write a mapping of key: value lines, indented under this key';
  return `give ${article(expected)}`;
}
