import { isMap, isNode, isScalar, LineCounter, parseDocument, type Document } from 'yaml';
import type { z } from 'zod';
import type { ContentProblem, SourcePosition } from './problems';

interface ParsedYaml<T> {
  value: T | undefined;
  problems: ContentProblem[];
  /** Where a value sits in the file, for problems found after parsing (a duplicate entry, a missing file). */
  positionOf(path: (string | number)[]): SourcePosition;
}

/**
 * Parses YAML and validates it with a zod schema, reporting each problem at the
 * line and column of the key or value at fault. `firstLine` is the file line the
 * YAML text starts on (frontmatter starts on line 2, after the opening `---`).
 */
export function parseYamlWithSchema<S extends z.ZodType>(
  text: string,
  schema: S,
  file: string,
  firstLine = 1,
): ParsedYaml<z.infer<S>> {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: true, uniqueKeys: true });
  const at = (offset: number) => {
    const { line, col } = lineCounter.linePos(offset);
    return { file, line: line + firstLine - 1, column: col };
  };

  const positionOf = (path: (string | number)[]) => at(offsetOfPath(doc, path));

  if (doc.errors.length > 0) {
    return {
      value: undefined,
      positionOf,
      problems: doc.errors.map((error) => ({
        ...at(error.pos[0]),
        message: `YAML syntax error: ${firstSentence(error.message)}. Check indentation, colons and quoting.`,
      })),
    };
  }

  const result = schema.safeParse(doc.toJS() ?? {}, { reportInput: true });
  if (result.success) return { value: result.data, problems: [], positionOf };

  return {
    value: undefined,
    positionOf,
    problems: result.error.issues.map((issue) => ({
      ...at(offsetOfIssue(doc, issue)),
      message: describeIssue(issue),
    })),
  };
}

function firstSentence(message: string): string {
  return (message.split('\n')[0] ?? message)
    .replace(/ at line \d+, column \d+:?$/, '')
    .replace(/\.$/, '');
}

/** The start offset of the YAML node an issue is about, or of its nearest existing parent. */
function offsetOfIssue(doc: Document, issue: z.core.$ZodIssue): number {
  const path = issue.path.filter((key): key is string | number => typeof key !== 'symbol');
  if (issue.code === 'unrecognized_keys') {
    const parent = path.length === 0 ? doc.contents : doc.getIn(path, true);
    if (isMap(parent)) {
      const pair = parent.items.find(
        (item) => isScalar(item.key) && issue.keys.includes(String(item.key.value)),
      );
      if (pair && isNode(pair.key) && pair.key.range) return pair.key.range[0];
    }
  }
  return offsetOfPath(doc, path);
}

function offsetOfPath(doc: Document, path: (string | number)[]): number {
  for (let depth = path.length; depth >= 0; depth--) {
    const node = depth === 0 ? doc.contents : doc.getIn(path.slice(0, depth), true);
    if (isNode(node) && node.range) return node.range[0];
  }
  return 0;
}

function describeIssue(issue: z.core.$ZodIssue): string {
  const field = issue.path.length > 0 ? `"${issue.path.map(String).join('.')}"` : 'the file';
  if (issue.code === 'unrecognized_keys') {
    return `Unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `"${k}"`).join(', ')}: remove it or check the spelling (fields are listed in docs/authoring.md).`;
  }
  if (issue.code === 'invalid_type' && issue.input === undefined) {
    return `Missing required field ${field} (${issue.expected}); see docs/authoring.md.`;
  }
  return `Field ${field} ${issue.message.replace(/^Invalid input: /, '').replace(/^./, (c) => c.toLowerCase())}.`;
}
