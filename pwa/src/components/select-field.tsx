import type { ApiError } from '../api/api-error.ts';
import { ErrorText } from './error-text.tsx';

/** One choice of a select: the value it stands for and the words it shows. */
export interface SelectOption<T extends string> {
  value: T;
  label: string;
}

interface Props<T extends string> {
  id: string;
  label: string;
  value: NoInfer<T>;
  onValue(value: NoInfer<T>): void;
  /** Where `T` is read from: the choices name every value the select can have. */
  options: readonly SelectOption<T>[];
  required?: boolean;
  disabled?: boolean;
  error?: Pick<ApiError, 'code' | 'message'> | null;
}

/**
 * A labelled select of fixed choices, with its error tied to it for assistive technology.
 *
 * @example
 * <SelectField id="code-expiry" label="Expires after" value={days} onValue={setDays} options={EXPIRY} />
 */
export function SelectField<T extends string>({
  id,
  label,
  value,
  onValue,
  options,
  error,
  ...select
}: Props<T>) {
  const errorId = error ? `${id}-error` : undefined;
  return (
    <div class="field">
      <label for={id}>{label}</label>
      <select
        {...select}
        id={id}
        value={value}
        // Only the options' values can be chosen.
        onChange={(e) => onValue(e.currentTarget.value as T)}
        aria-invalid={error ? true : undefined}
        aria-describedby={errorId}
      >
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
      <ErrorText error={error} id={errorId} />
    </div>
  );
}
