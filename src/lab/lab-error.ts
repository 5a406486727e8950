/** Where in the lab file a problem is: 1-based line and column, and the key path (apps[0].memif.id). */
export interface LabIssue {
  file: string;
  line: number;
  column: number;
  path: string;
  message: string;
  /** What to change, in words a user can act on. */
  fix?: string;
}

export function formatIssue(issue: LabIssue): string {
  const where = `${issue.file}:${issue.line}:${issue.column}`;
  const what = issue.path ? `${issue.path}: ${issue.message}` : issue.message;
  return issue.fix ? `${where}: ${what} (fix: ${issue.fix})` : `${where}: ${what}`;
}

/** 1,000 as people read numbers in messages. */
export const formatCount = (n: number): string => n.toLocaleString('en-US');

/** A value quoted for a message, cut short: a message shows which value, never the whole of a huge one. */
export function quote(value: unknown, max = 60): string {
  if (typeof value === 'string') {
    return value.length > max ? `${JSON.stringify(value.slice(0, max)).slice(0, -1)}..." (${formatCount(value.length)} characters)` : JSON.stringify(value);
  }
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    text = String(value); // a BigInt
  }
  return text.length > max ? `${text.slice(0, max)}...` : text;
}

/** Every problem found in one lab file, reported together, first by position. */
export class LabFileError extends Error {
  readonly issues: readonly LabIssue[];

  constructor(issues: LabIssue[]) {
    const sorted = [...issues].sort((a, b) => a.line - b.line || a.column - b.column);
    super(sorted.map(formatIssue).join('\n'));
    this.name = 'LabFileError';
    this.issues = sorted;
  }
}
