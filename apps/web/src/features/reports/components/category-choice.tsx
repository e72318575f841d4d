/** One category as a radio in the picker's list, with an optional hint (its group, the synonym that matched). */
export function CategoryChoice({
  name,
  code,
  label,
  hint,
  isChecked,
  onChoose,
  describedBy,
}: {
  name: string;
  code: string;
  label: string;
  hint?: string;
  isChecked: boolean;
  onChoose: (code: string) => void;
  describedBy?: string;
}) {
  return (
    <li>
      <label className={`choice${isChecked ? ' is-checked' : ''}`}>
        <input
          type="radio"
          name={name}
          value={code}
          checked={isChecked}
          onChange={() => onChoose(code)}
          aria-describedby={describedBy}
        />
        <span className="choice-text">
          <span className="choice-label">{label}</span>
          {hint && (
            <span className="choice-hint" aria-hidden="true">
              {hint}
            </span>
          )}
        </span>
      </label>
    </li>
  );
}
