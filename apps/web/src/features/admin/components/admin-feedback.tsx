import { AdminError } from './admin-error';

/** A section's refusal (as an alert) and its last success notice (as a status). */
export function AdminFeedback({ error, notice }: { error: unknown; notice: string }) {
  return (
    <>
      <AdminError error={error} />
      {notice && (
        <p className="admin-notice" role="status">
          {notice}
        </p>
      )}
    </>
  );
}
