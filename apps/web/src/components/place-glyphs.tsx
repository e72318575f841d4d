/** A place pin, drawn in the text's colour: an address, wherever it is shown. */
export function PinGlyph({ size = 20, className }: { size?: number; className?: string }) {
  return (
    <svg className={className} viewBox="0 0 24 24" width={size} height={size} aria-hidden="true">
      <path
        d="M12 2.5c-3.9 0-7 3-7 6.8 0 5 7 12.2 7 12.2s7-7.2 7-12.2c0-3.8-3.1-6.8-7-6.8Zm0 9.3a2.5 2.5 0 1 1 0-5 2.5 2.5 0 0 1 0 5Z"
        fill="currentColor"
      />
    </svg>
  );
}

/** A road seen from above: a whole street, no number. */
export function StreetGlyph({ size = 20, className }: { size?: number; className?: string }) {
  return (
    <svg className={className} viewBox="0 0 24 24" width={size} height={size} aria-hidden="true">
      <path d="M7 3 3 21M17 3l4 18" stroke="currentColor" strokeWidth="2" strokeLinecap="round" fill="none" />
      <path d="M12 4v3M12 10.5v3M12 17v3" stroke="currentColor" strokeWidth="2" strokeLinecap="round" />
    </svg>
  );
}

/** A road sign's turn arrow: the way to a place. */
export function DirectionsGlyph({ size = 22, className }: { size?: number; className?: string }) {
  return (
    <svg className={className} viewBox="0 0 24 24" width={size} height={size} aria-hidden="true">
      <path
        d="M12 2 22 12 12 22 2 12Z M9 14v-3h5V8.5l3.5 3.5-3.5 3.5V13h-3v1Z"
        fill="currentColor"
        fillRule="evenodd"
      />
    </svg>
  );
}
