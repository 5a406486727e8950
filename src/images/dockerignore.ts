import { readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import dockerignore from '@balena/dockerignore';

// The package is CommonJS (module.exports = factory) while its types declare an ES default export.
const ignore = dockerignore as unknown as typeof dockerignore.default;

/**
 * The build context's .dockerignore, as `docker build` reads it: a predicate on absolute paths under
 * `dir`. The Dockerfile and .dockerignore are always sent, as Docker does.
 */
export function dockerignoreFilter(dir: string): (path: string) => boolean {
  let patterns: string;
  try {
    patterns = readFileSync(join(dir, '.dockerignore'), 'utf8');
  } catch {
    return () => false;
  }
  const rules = ignore().add(patterns.split('\n'));
  return (path) => {
    const name = relative(dir, path).split(sep).join('/');
    if (!name || name === 'Dockerfile' || name === '.dockerignore') return false;
    return rules.ignores(name);
  };
}
