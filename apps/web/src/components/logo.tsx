/** The Pavé mark: a map pin holding a paving stone. */
export function Logo({ size = 32 }: { size?: number }) {
  return (
    <svg viewBox="0 0 32 32" width={size} height={size} aria-hidden="true" className="logo">
      <rect width="32" height="32" rx="8" fill="var(--color-primary)" />
      <path d="M16 5.5c-4.7 0-8.5 3.7-8.5 8.3 0 6.1 8.5 12.7 8.5 12.7s8.5-6.6 8.5-12.7c0-4.6-3.8-8.3-8.5-8.3Z" fill="#fff" />
      <path d="M11.8 10.8h8.4v6.2h-8.4z" fill="var(--color-accent)" />
      <path d="M11.8 13.9h8.4M16 10.8v3.1M13.9 13.9V17M18.1 13.9V17" stroke="var(--color-primary)" strokeWidth="1" />
    </svg>
  );
}
