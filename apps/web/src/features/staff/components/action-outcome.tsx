/** What the last action of a detail panel did: a notice (a status) or a refusal (an alert). */
export function ActionOutcome({
  done,
  error,
  doneClassName,
}: {
  done: string | null;
  error: string | null;
  doneClassName: string;
}) {
  return (
    <>
      {done && (
        <p className={doneClassName} role="status">
          {done}
        </p>
      )}
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
    </>
  );
}
