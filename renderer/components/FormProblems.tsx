import type { z } from 'zod';

/**
 * A refused form's problems as the form shows them: every message for the alert, and one
 * message per top-level field (its last) to show beside that field.
 */
export const problemsOf = (error: z.ZodError): { problems: string[]; fieldErrors: Record<string, string> } => ({
  problems: error.issues.map((issue) => issue.message),
  fieldErrors: Object.fromEntries(
    error.issues.map((issue): [string, string] => [String(issue.path[0]), issue.message]),
  ),
});

// What the form's zod schema said is wrong, one line per problem, announced as one alert, so
// the manager hears every reason the form was not sent, not only the first.
export const FormProblems = ({ problems }: { problems: readonly string[] }) =>
  problems.length > 0 && (
    <div role="alert" className="form-error">
      {problems.map((p) => (
        <p key={p}>{p}</p>
      ))}
    </div>
  );
