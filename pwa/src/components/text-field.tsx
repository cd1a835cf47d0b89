import type { ComponentChildren } from 'preact';
import type { ApiError } from '../api/api-error.ts';
import { ErrorText } from './error-text.tsx';

/** The input attributes the app's text fields use (kept explicit: preact's union types do not Omit well). */
interface InputProps {
  type?: 'text' | 'email' | 'url' | 'search' | 'number' | 'datetime-local';
  required?: boolean;
  autoComplete?: string;
  placeholder?: string;
  maxLength?: number;
  min?: number;
  step?: number;
  spellcheck?: boolean;
  disabled?: boolean;
  inputMode?: 'text' | 'email' | 'url' | 'numeric';
}

interface Props extends InputProps {
  id: string;
  label: string;
  value: string;
  onValue(value: string): void;
  hint?: string;
  error?: Pick<ApiError, 'code' | 'message'> | null;
  /** What else belongs to the field (a note, a related checkbox), shown below the input. */
  children?: ComponentChildren;
}

/** A labelled input with its hint and its error tied to it for assistive technology. */
export function TextField({
  id,
  label,
  value,
  onValue,
  hint,
  error,
  children,
  type = 'text',
  ...input
}: Props) {
  const hintId = hint ? `${id}-hint` : undefined;
  const errorId = error ? `${id}-error` : undefined;
  const describedBy = [hintId, errorId].filter(Boolean).join(' ') || undefined;
  return (
    <div class="field">
      <label for={id}>{label}</label>
      {hint && (
        <p class="hint" id={hintId}>
          {hint}
        </p>
      )}
      <input
        {...input}
        // preact types <input> as a union keyed on literal `type`s; ours is one of the text-like ones.
        type={type as 'text'}
        id={id}
        value={value}
        onInput={(e) => onValue(e.currentTarget.value)}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy}
      />
      <ErrorText error={error} id={errorId} />
      {children}
    </div>
  );
}
