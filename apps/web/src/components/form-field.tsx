import {
  useId,
  type ChangeEventHandler,
  type InputHTMLAttributes,
  type ReactNode,
  type Ref,
  type SelectHTMLAttributes,
  type TextareaHTMLAttributes,
} from 'react';
import { REPORT_LIMITS } from '@pave/shared';

/** An e-mail input's attributes: the phone's e-mail keyboard, autofill, and the length the API accepts. */
export const EMAIL_INPUT = {
  type: 'email',
  autoComplete: 'email',
  inputMode: 'email',
  maxLength: REPORT_LIMITS.emailMaxLength,
} as const;

/** What a field says around its control: the label, a hint before it, an error after it. */
export interface FieldFrame {
  label: ReactNode;
  /** Said between the label and the control, and read with the control (aria-describedby). */
  hint?: ReactNode;
  /** Said after the control when set; the control is then aria-invalid and reads it too. */
  error?: ReactNode;
  /** Shown after the control, before the error (a character counter, a status line). */
  after?: ReactNode;
  /** The wrapper's class, `field` unless told. */
  fieldClassName?: string;
  /** The label's class, `field-label` unless told (`field-sublabel` inside a fieldset). */
  labelClassName?: string;
}

/** The attributes that tie a control to its label, hint and error. */
export interface FieldControl {
  id: string;
  'aria-describedby'?: string;
  'aria-invalid'?: true;
}

/**
 * A labelled field around any control: `children` receives the id and ARIA attributes to spread on
 * it. The control's own `id` and `aria-describedby` (`describedBy`) are kept and joined.
 */
export function Field({
  label,
  hint,
  error,
  after,
  fieldClassName = 'field',
  labelClassName = 'field-label',
  id,
  describedBy,
  children,
}: FieldFrame & { id?: string; describedBy?: string; children: (control: FieldControl) => ReactNode }) {
  const generatedId = useId();
  const controlId = id ?? generatedId;
  const hintId = `${controlId}-hint`;
  const errorId = `${controlId}-error`;
  const describedByIds = [hint ? hintId : '', describedBy ?? '', error ? errorId : ''].filter(Boolean).join(' ');
  return (
    <div className={fieldClassName}>
      <label className={labelClassName} htmlFor={controlId}>
        {label}
      </label>
      {hint && (
        <p id={hintId} className="field-hint">
          {hint}
        </p>
      )}
      {children({
        id: controlId,
        'aria-describedby': describedByIds || undefined,
        'aria-invalid': error ? true : undefined,
      })}
      {after}
      {error && (
        <p id={errorId} className="field-error">
          {error}
        </p>
      )}
    </div>
  );
}

type Control<Attributes, Element> = FieldFrame &
  Omit<Attributes, 'aria-describedby' | 'aria-invalid'> & {
    ref?: Ref<Element>;
    'aria-describedby'?: string;
    /** Called with the new value, for the common `setX(event.target.value)`. */
    onValue?: (value: string) => void;
  };

function split<T extends FieldFrame & { id?: string; 'aria-describedby'?: string }>(props: T) {
  const {
    label,
    hint,
    error,
    after,
    fieldClassName,
    labelClassName,
    id,
    'aria-describedby': describedBy,
    ...rest
  } = props;
  return { frame: { label, hint, error, after, fieldClassName, labelClassName, id, describedBy }, rest };
}

/** Calls `onChange` with the event, then `onValue` with the new value. */
function changeHandler<E extends HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement>(
  onChange: ChangeEventHandler<E> | undefined,
  onValue: ((value: string) => void) | undefined,
): ChangeEventHandler<E> {
  return (event) => {
    onChange?.(event);
    onValue?.(event.target.value);
  };
}

/** A labelled `<input class="input">`. */
export function TextField(props: Control<InputHTMLAttributes<HTMLInputElement>, HTMLInputElement>) {
  const { frame, rest } = split(props);
  const { onValue, onChange, className = 'input', ...input } = rest;
  return (
    <Field {...frame}>
      {(control) => <input className={className} {...input} {...control} onChange={changeHandler(onChange, onValue)} />}
    </Field>
  );
}

/** A labelled `<select class="select">`; its options are the children. */
export function SelectField(props: Control<SelectHTMLAttributes<HTMLSelectElement>, HTMLSelectElement>) {
  const { frame, rest } = split(props);
  const { onValue, onChange, className = 'select', children, ...select } = rest;
  return (
    <Field {...frame}>
      {(control) => (
        <select className={className} {...select} {...control} onChange={changeHandler(onChange, onValue)}>
          {children}
        </select>
      )}
    </Field>
  );
}

/** A labelled `<textarea class="textarea">`. */
export function TextareaField(props: Control<TextareaHTMLAttributes<HTMLTextAreaElement>, HTMLTextAreaElement>) {
  const { frame, rest } = split(props);
  const { onValue, onChange, className = 'textarea', ...textarea } = rest;
  return (
    <Field {...frame}>
      {(control) => (
        <textarea className={className} {...textarea} {...control} onChange={changeHandler(onChange, onValue)} />
      )}
    </Field>
  );
}
