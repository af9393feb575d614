import { compile } from '@mdx-js/mdx';
import rehypeShikiFromHighlighter from '@shikijs/rehype/core';
import GithubSlugger from 'github-slugger';
import type { Heading, Root } from 'mdast';
import type { MdxJsxAttribute, MdxJsxFlowElement, MdxJsxTextElement } from 'mdast-util-mdx-jsx';
import { toString } from 'mdast-util-to-string';
import rehypeSlug from 'rehype-slug';
import remarkFrontmatter from 'remark-frontmatter';
import remarkGfm from 'remark-gfm';
import type { Plugin } from 'unified';
import type { Node } from 'unist';
import { visit } from 'unist-util-visit';
import { VFile } from 'vfile';
import {
  CODE_LANGUAGES,
  FORBIDDEN_ELEMENTS,
  LESSON_COMPONENT_NAMES,
  LESSON_COMPONENTS,
  type ComponentRule,
} from './components';
import { CODE_THEMES, getHighlighter } from './highlighter';
import type { ContentProblem } from '../authoring/problems';

/** A heading learners can jump to from the table of contents or a link. */
export interface LessonHeading {
  depth: 2 | 3;
  text: string;
  /** The element id rehype-slug gives it, GitHub-style. */
  id: string;
}

/** A quiz block, as the server needs it to grade answers. */
export interface QuizDefinition {
  id: string;
  question: string;
  multiple: boolean;
  choiceCount: number;
  /** Indexes of the correct choices, in order. */
  correct: number[];
}

/**
 * The element id of a quiz on its lesson page, for links such as the progress
 * page's "retake this quiz". The compiler reports a heading that would take the
 * same id, so lesson anchors stay unique.
 */
export function quizAnchorId(quizId: string): string {
  return `quiz-${quizId}`;
}

/** Something a lesson points at, checked against the whole course later. */
export interface LessonReferenceSite {
  target: string;
  line: number;
  column: number;
}

export interface LessonAnalysis {
  headings: LessonHeading[];
  quizzes: QuizDefinition[];
  links: LessonReferenceSite[];
  images: LessonReferenceSite[];
  /** `<CodeLab lab="…">` uses, resolved against the module's labs/ folder by the course loader. */
  labs: LessonReferenceSite[];
  /** `<PolicyLab id="…">` uses, resolved the same way. */
  policyLabs: LessonReferenceSite[];
}

export interface CompiledLesson {
  analysis: LessonAnalysis;
  /** MDX compiled to a function body (run it with @mdx-js/mdx's `run`); undefined when MDX did not parse. */
  code: string | undefined;
  problems: ContentProblem[];
}

type JsxElement = MdxJsxFlowElement | MdxJsxTextElement;

const KNOWN_LANGUAGES = new Set<string>(CODE_LANGUAGES);
const KNOWN_COMPONENTS = new Set<string>(LESSON_COMPONENT_NAMES);
const FORBIDDEN = new Set<string>(FORBIDDEN_ELEMENTS);

/**
 * Compiles one lesson's MDX (frontmatter included, so positions are file
 * positions) and reports every problem an author can fix in that file alone.
 * `file` is the project-relative path used in problem reports.
 */
export async function compileLesson(source: string, file: string): Promise<CompiledLesson> {
  const analysis: LessonAnalysis = {
    headings: [],
    quizzes: [],
    links: [],
    images: [],
    labs: [],
    policyLabs: [],
  };
  const problems: ContentProblem[] = [];
  const highlighter = await getHighlighter();

  try {
    const output = await compile(new VFile({ value: source, path: file }), {
      outputFormat: 'function-body',
      remarkPlugins: [
        remarkFrontmatter,
        remarkGfm,
        [remarkLessonAnalysis, { analysis, problems, file }],
      ],
      rehypePlugins: [
        rehypeSlug,
        [rehypeShikiFromHighlighter, highlighter, { themes: CODE_THEMES, defaultColor: 'light' }],
      ],
    });
    return { analysis, code: String(output), problems };
  } catch (error) {
    problems.push(problemFromCompileError(error, file));
    return { analysis, code: undefined, problems };
  }
}

interface AnalysisOptions {
  analysis: LessonAnalysis;
  problems: ContentProblem[];
  file: string;
}

/** Collects headings, quizzes, links and images, and checks component use. */
const remarkLessonAnalysis: Plugin<[AnalysisOptions], Root> = ({ analysis, problems, file }) => {
  return (tree) => {
    const report = (node: Node, message: string) => {
      problems.push({
        file,
        line: node.position?.start.line ?? 1,
        column: node.position?.start.column ?? 1,
        message,
      });
    };
    const slugger = new GithubSlugger();
    const headingIds = new Set<string>();

    visit(tree, (node, _index, parent) => {
      switch (node.type) {
        case 'heading': {
          const heading = node as Heading;
          const text = toString(heading);
          const id = slugger.slug(text);
          headingIds.add(id);
          if (heading.depth === 1) {
            report(
              node,
              'Do not use a "#" heading: the page renders the frontmatter title as the only h1. Start sections at "##".',
            );
          } else if (heading.depth === 2 || heading.depth === 3) {
            analysis.headings.push({ depth: heading.depth, text, id });
          }
          break;
        }
        case 'link':
          analysis.links.push(siteOf(node, (node as { url: string }).url));
          break;
        case 'image':
          analysis.images.push(siteOf(node, (node as { url: string }).url));
          break;
        case 'code': {
          const lang = (node as { lang?: string | null }).lang;
          if (lang && !KNOWN_LANGUAGES.has(lang)) {
            report(
              node,
              `Unknown code language "${lang}". Use one of: ${CODE_LANGUAGES.join(', ')} (or "text").`,
            );
          }
          break;
        }
        case 'mdxjsEsm':
          report(
            node,
            'Lessons cannot use import or export: lesson components are available without importing them.',
          );
          break;
        case 'mdxFlowExpression':
        case 'mdxTextExpression': {
          const name = firstIdentifier(node);
          if (name !== undefined) {
            report(
              node,
              `"{${name}…}" is a JavaScript expression, and lessons have no variables to evaluate: to show braces in prose write \\{ and \\}, or put code in backticks.`,
            );
          }
          break;
        }
        case 'mdxJsxFlowElement':
        case 'mdxJsxTextElement':
          checkJsxElement(node as JsxElement, parent as Node | undefined, analysis, report);
          break;
      }
    });

    // After the walk and its checks: every heading's id is known (a heading may follow the quiz).
    visit(tree, (node) => {
      if (!isJsx(node)) return;
      const anchor = node.name === 'Quiz' ? stringAttribute(node, 'anchor') : undefined;
      if (anchor !== undefined && headingIds.has(anchor)) {
        report(
          node,
          `This quiz's anchor "#${anchor}" is also a heading's id on the page: rename the heading or the quiz id, so links reach the right one.`,
        );
      }
      // The key was recorded for the server; the page does not carry it.
      if (node.name === 'Choice')
        node.attributes = node.attributes.filter(
          (a) => !(a.type === 'mdxJsxAttribute' && a.name === 'correct'),
        );
    });
  };
};

function siteOf(node: Node, target: string): LessonReferenceSite {
  return { target, line: node.position?.start.line ?? 1, column: node.position?.start.column ?? 1 };
}

function checkJsxElement(
  element: JsxElement,
  parent: Node | undefined,
  analysis: LessonAnalysis,
  report: (node: Node, message: string) => void,
): void {
  const name = element.name;
  if (name === null) return; // a fragment
  if (/^[a-z]/.test(name)) {
    const component = LESSON_COMPONENT_NAMES.find(
      (known) => known.toLowerCase() === name.toLowerCase(),
    );
    if (component)
      report(
        element,
        `<${name}> is treated as plain HTML: component names start with a capital letter, <${component}>.`,
      );
    if (FORBIDDEN.has(name))
      report(
        element,
        `<${name}> is not allowed in lessons: it would run or load code from elsewhere.`,
      );
    const src = stringAttribute(element, 'src');
    if (name === 'img' && src !== undefined) analysis.images.push(siteOf(element, src));
    const href = stringAttribute(element, 'href');
    if (name === 'a' && href !== undefined) analysis.links.push(siteOf(element, href));
    return;
  }
  if (!KNOWN_COMPONENTS.has(name)) {
    report(
      element,
      `Unknown component <${name}>. Lessons can use ${LESSON_COMPONENT_NAMES.map((n) => `<${n}>`).join(', ')}; check the spelling or see docs/authoring.md.`,
    );
    return;
  }
  const rule: ComponentRule = LESSON_COMPONENTS[name as keyof typeof LESSON_COMPONENTS];
  for (const attribute of element.attributes) {
    const variable =
      attribute.type === 'mdxJsxAttribute' && typeof attribute.value === 'object' && attribute.value
        ? firstIdentifier(attribute.value)
        : undefined;
    if (attribute.type === 'mdxJsxExpressionAttribute' || variable !== undefined) {
      report(
        element,
        `<${name}> attributes must be plain values (strings, numbers, arrays of strings), not variables or spread props${variable ? ` such as "${variable}"` : ''}.`,
      );
    }
  }
  for (const attribute of rule.required) {
    if (!hasAttribute(element, attribute))
      report(element, `<${name}> needs a "${attribute}" attribute; see docs/authoring.md.`);
  }
  for (const [attribute, allowed] of Object.entries(rule.oneOf ?? {})) {
    const value = stringAttribute(element, attribute);
    if (hasAttribute(element, attribute) && (value === undefined || !allowed.includes(value))) {
      report(
        element,
        `<${name} ${attribute}="${value ?? '…'}"> must be one of: ${allowed.map((v) => `"${v}"`).join(', ')}.`,
      );
    }
  }
  if (rule.parent && !(isJsx(parent) && parent.name === rule.parent)) {
    report(element, `<${name}> must be placed directly inside <${rule.parent}>.`);
  }
  if (name === 'Figure') {
    const src = stringAttribute(element, 'src');
    if (src !== undefined) analysis.images.push(siteOf(element, src));
  }
  if (name === 'Quiz') analyseQuiz(element, analysis, report);
  if (name === 'CodeLab') {
    const lab = stringAttribute(element, 'lab');
    if (lab !== undefined && !/^[a-z0-9]+(?:-[a-z0-9]+)*$/.test(lab))
      report(
        element,
        `<CodeLab lab="${lab}"> must name a lab folder in kebab-case, e.g. "first-handler".`,
      );
    else if (lab !== undefined && analysis.labs.some((site) => site.target === lab))
      report(element, `The lab "${lab}" is shown twice in this lesson; show each lab once.`);
    else if (lab !== undefined) analysis.labs.push(siteOf(element, lab));
  }
  if (name === 'PolicyLab') {
    const id = stringAttribute(element, 'id');
    if (id !== undefined && !/^[a-z0-9]+(?:-[a-z0-9]+)*$/.test(id))
      report(
        element,
        `<PolicyLab id="${id}"> must name a lab folder in kebab-case, e.g. "least-privilege".`,
      );
    else if (id !== undefined && analysis.policyLabs.some((site) => site.target === id))
      report(element, `The policy lab "${id}" is shown twice in this lesson; show it once.`);
    else if (id !== undefined) analysis.policyLabs.push(siteOf(element, id));
  }
}

/**
 * Records a quiz for grading, and prepares the element for the page: each
 * Choice gets its `index` (the position the server grades) and the Quiz its
 * `anchor` id. The answer key stays on the server, which reveals it when the
 * learner may see it; the Choices' `correct` marks are removed after the checks.
 */
function analyseQuiz(
  quiz: JsxElement,
  analysis: LessonAnalysis,
  report: (node: Node, message: string) => void,
): void {
  const id = stringAttribute(quiz, 'id');
  const question = stringAttribute(quiz, 'question');
  const multiple = isTrueAttribute(quiz, 'multiple');
  const choices = quiz.children.filter(
    (child): child is JsxElement => isJsx(child) && child.name === 'Choice',
  );
  const correct = choices.flatMap((choice, index) =>
    isTrueAttribute(choice, 'correct') ? [index] : [],
  );

  if (id !== undefined && !/^[a-z0-9]+(?:-[a-z0-9]+)*$/.test(id)) {
    report(
      quiz,
      `Quiz id "${id}" must be kebab-case (lower-case letters, digits, hyphens); progress is stored under it.`,
    );
  }
  if (id !== undefined && analysis.quizzes.some((other) => other.id === id)) {
    report(quiz, `Quiz id "${id}" is used twice in this lesson; give each quiz its own id.`);
  }
  if (choices.length < 2) report(quiz, 'A quiz needs at least two <Choice> elements.');
  if (correct.length === 0) {
    report(
      quiz,
      'This quiz has no correct answer: mark at least one <Choice> with the "correct" attribute.',
    );
  }
  if (!multiple && correct.length > 1) {
    report(
      quiz,
      `This quiz marks ${correct.length} choices correct but is single-choice: add "multiple" to the <Quiz> or keep one correct choice.`,
    );
  }

  choices.forEach((choice, index) => setStringAttribute(choice, 'index', String(index)));
  if (id !== undefined) setStringAttribute(quiz, 'anchor', quizAnchorId(id));
  if (id !== undefined && question !== undefined) {
    analysis.quizzes.push({ id, question, multiple, choiceCount: choices.length, correct });
  }
}

function isJsx(node: unknown): node is JsxElement {
  const type = (node as Node | undefined)?.type;
  return type === 'mdxJsxFlowElement' || type === 'mdxJsxTextElement';
}

function findAttribute(element: JsxElement, name: string): MdxJsxAttribute | undefined {
  return element.attributes.find(
    (a): a is MdxJsxAttribute => a.type === 'mdxJsxAttribute' && a.name === name,
  );
}

function hasAttribute(element: JsxElement, name: string): boolean {
  return findAttribute(element, name) !== undefined;
}

/** `<Choice correct>` and `correct={true}` are true; `correct={false}` and no attribute are not. */
function isTrueAttribute(element: JsxElement, name: string): boolean {
  const attribute = findAttribute(element, name);
  if (!attribute) return false;
  if (attribute.value === null || attribute.value === undefined) return true;
  return typeof attribute.value === 'object'
    ? attribute.value.value.trim() === 'true'
    : attribute.value !== 'false';
}

/**
 * The first variable an MDX expression reads, if any. Literals (strings, numbers,
 * arrays of them) and comments are fine; a lesson has no variables in scope, so
 * any identifier would fail when the page renders.
 */
function firstIdentifier(node: { data?: { estree?: unknown } | undefined }): string | undefined {
  let found: string | undefined;
  const walk = (value: unknown, parentKey?: string): void => {
    if (found !== undefined || value === null || typeof value !== 'object') return;
    if (Array.isArray(value)) return value.forEach((item) => walk(item, parentKey));
    const record = value as Record<string, unknown>;
    // Property names in `{ a: 1 }` are identifiers too, but read no variable.
    if (record.type === 'Identifier' && parentKey !== 'key') {
      found = String(record.name);
      return;
    }
    for (const [key, child] of Object.entries(record))
      if (key !== 'loc' && key !== 'range') walk(child, key);
  };
  walk(node.data?.estree);
  return found;
}

/** The attribute's value when it is a plain string, not an expression. */
function stringAttribute(element: JsxElement, name: string): string | undefined {
  const value = findAttribute(element, name)?.value;
  return typeof value === 'string' ? value : undefined;
}

function setStringAttribute(element: JsxElement, name: string, value: string): void {
  const existing = findAttribute(element, name);
  if (existing) existing.value = value;
  else element.attributes.push({ type: 'mdxJsxAttribute', name, value });
}

function problemFromCompileError(error: unknown, file: string): ContentProblem {
  const message = error as {
    line?: number | null;
    column?: number | null;
    place?: { start?: { line: number; column: number } } | null;
    reason?: string;
    message?: string;
  };
  const reason = message.reason ?? message.message ?? String(error);
  // Some MDX messages carry their place only inside the text, as "(5:1-5:10)".
  const inText = /\((\d+):(\d+)-\d+:\d+\)/.exec(reason);
  const line = message.line ?? message.place?.start?.line ?? Number(inText?.[1] ?? 1);
  const column = message.column ?? message.place?.start?.column ?? Number(inText?.[2] ?? 1);
  return {
    file,
    line,
    column,
    message: `MDX syntax error: ${reason.replace(/ \(\d+:\d+-\d+:\d+\)/, '').replace(/\.$/, '')}. Check that every tag is closed, and escape "{", "}" and "<" in prose (\\{ or &lt;).`,
  };
}
