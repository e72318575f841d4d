/** The Pavé mark: a map pin holding three paving stones. Same drawing as `public/favicon.svg`. */
export function Logo({ size = 32 }: { size?: number }) {
  return (
    <svg viewBox="0 0 32 32" width={size} height={size} aria-hidden="true" className="logo">
      <rect width="32" height="32" rx="8" fill="var(--color-primary-strong)" />
      <path d="M16 4.5c-5 0-9 3.9-9 8.8C7 19.8 16 27.5 16 27.5s9-7.7 9-14.2c0-4.9-4-8.8-9-8.8Z" fill="#fff" />
      <g fill="var(--color-accent)">
        <rect x="10.5" y="8.6" width="5.1" height="3.9" rx="1" />
        <rect x="16.4" y="8.6" width="5.1" height="3.9" rx="1" />
        <rect x="13.45" y="13.3" width="5.1" height="3.9" rx="1" />
      </g>
    </svg>
  );
}
