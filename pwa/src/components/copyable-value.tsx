import { CopyButton } from './copy-button.tsx';

/**
 * A value shown once (a link, a code, a secret): read-only, selected on focus for Ctrl+C,
 * with a copy button beside it. Label it with a `<label for={id}>`.
 */
export function CopyableValue({
  id,
  value,
  what,
  code = false,
}: {
  id: string;
  value: string;
  /** What is copied, for the button's accessible name ("Copy enrollment link"). */
  what: string;
  /** Shown in the monospace code style. */
  code?: boolean;
}) {
  return (
    <div class="row">
      <input
        id={id}
        class={code ? 'code' : undefined}
        readOnly
        value={value}
        onFocus={(e) => e.currentTarget.select()}
      />
      <CopyButton text={value} label="Copy" what={what} />
    </div>
  );
}
