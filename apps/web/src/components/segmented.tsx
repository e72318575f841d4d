import { useId, type ReactNode } from 'react';

interface SegmentedProps<T extends string> {
  choices: readonly T[];
  value: T;
  onChange: (value: T) => void;
  /** What a choice says. */
  label: (choice: T) => string;
  className?: string;
  /** A class added to one choice's segment (a severity's colour). */
  segmentClassName?: (choice: T) => string;
}

/**
 * A row of radio buttons drawn as one segmented control (`.segmented`); put it in a fieldset whose
 * legend names the choice.
 */
export function Segmented<T extends string>({
  choices,
  value,
  onChange,
  label,
  className = 'segmented',
  segmentClassName,
}: SegmentedProps<T>) {
  const name = useId();
  return (
    <div className={className}>
      {choices.map((choice) => (
        <label
          key={choice}
          className={['segment', segmentClassName?.(choice), value === choice && 'is-checked']
            .filter(Boolean)
            .join(' ')}
        >
          <input type="radio" name={name} value={choice} checked={value === choice} onChange={() => onChange(choice)} />
          <span>{label(choice)}</span>
        </label>
      ))}
    </div>
  );
}

/** A form field that is one segmented choice: the fieldset, its legend, the control, then `children`. */
export function SegmentedField<T extends string>({
  legend,
  children,
  ...segmented
}: SegmentedProps<T> & { legend: string; children?: ReactNode }) {
  return (
    <fieldset className="field">
      <legend className="field-label">{legend}</legend>
      <Segmented {...segmented} />
      {children}
    </fieldset>
  );
}
