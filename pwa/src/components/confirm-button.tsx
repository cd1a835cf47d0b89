import type { ComponentChildren } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';

interface Props {
  label: string;
  /** What will happen, in full, shown before the second click. */
  question: ComponentChildren;
  confirmLabel: string;
  onConfirm(): Promise<void> | void;
  danger?: boolean;
  disabled?: boolean;
}

/**
 * A destructive action in two steps, inline (no modal to trap focus in): the first click
 * explains what will happen, the second does it. Focus moves to the confirm button, and
 * back to the trigger on cancel.
 */
export function ConfirmButton({
  label,
  question,
  confirmLabel,
  onConfirm,
  danger,
  disabled,
}: Props) {
  const [asking, setAsking] = useState(false);
  const [busy, setBusy] = useState(false);
  const confirmRef = useRef<HTMLButtonElement>(null);
  const triggerRef = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    if (asking) confirmRef.current?.focus();
  }, [asking]);

  if (!asking) {
    return (
      <button
        type="button"
        ref={triggerRef}
        class={danger ? 'danger-outline' : undefined}
        onClick={() => setAsking(true)}
        disabled={disabled}
      >
        {label}
      </button>
    );
  }
  const cancel = () => {
    setAsking(false);
    setTimeout(() => triggerRef.current?.focus(), 0);
  };
  return (
    <div class="confirm" role="group" aria-label={label}>
      <p>{question}</p>
      <div class="row">
        <button
          type="button"
          ref={confirmRef}
          class={danger ? 'danger' : 'primary'}
          disabled={busy}
          onClick={async () => {
            setBusy(true);
            try {
              await onConfirm();
            } finally {
              setBusy(false);
              setAsking(false);
            }
          }}
        >
          {busy ? 'Working…' : confirmLabel}
        </button>
        <button type="button" onClick={cancel} disabled={busy}>
          Cancel
        </button>
      </div>
    </div>
  );
}
