import { readJsonBody } from '@/lib/http/json';
import { checkPythonSyntax } from '@/lib/labs';
import { syntaxCheckRequestSchema } from '@/lib/labs/contract';
import { handleLearnerRequest } from '@/lib/server/learner-route';

/** Syntax errors in a Python lab file, for the editor's markers: `{ runtime: "python3.11", source }`. */
export function POST(request: Request) {
  return handleLearnerRequest(request, async () => {
    const { source } = await readJsonBody(request, syntaxCheckRequestSchema, 1024 * 1024);
    return Response.json({ problems: await checkPythonSyntax(source) });
  });
}
