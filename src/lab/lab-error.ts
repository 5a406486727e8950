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
