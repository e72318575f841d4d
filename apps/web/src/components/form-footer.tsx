/** The end of a form: what went wrong with the last attempt (an alert), then the full-width submit button. */
export function FormFooter({
  error,
  errorTestId,
  isSending,
  submitLabel,
  sendingLabel,
}: {
  error: string | null;
  errorTestId?: string;
  isSending: boolean;
  submitLabel: string;
  /** What the button says while sending, `submitLabel` unless told. */
  sendingLabel?: string;
}) {
  return (
    <div className="form-footer">
      {error && (
        <p className="form-error" role="alert" data-testid={errorTestId}>
          {error}
        </p>
      )}
      <button type="submit" className="button button--primary button--block" disabled={isSending}>
        {isSending ? (sendingLabel ?? submitLabel) : submitLabel}
      </button>
    </div>
  );
}
