import type { ReactNode } from 'react';

/** One section of the account page, named by its heading (`id` is the heading's, for aria-labelledby). */
export function AccountSection({
  id,
  title,
  className,
  children,
}: {
  id: string;
  title: string;
  /** Added to `account-section` (`account-danger`). */
  className?: string;
  children: ReactNode;
}) {
  return (
    <section className={className ? `account-section ${className}` : 'account-section'} aria-labelledby={id}>
      <h2 className="section-title" id={id}>
        {title}
      </h2>
      {children}
    </section>
  );
}
