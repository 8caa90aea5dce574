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
