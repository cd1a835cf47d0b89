import { useState } from 'preact/hooks';

/** Copies `text` to the clipboard and says so; falls back to selecting it for Ctrl+C. */
export function CopyButton({
  text,
  label = 'Copy',
  what,
}: {
  text: string;
  label?: string;
  what: string;
}) {
  const [state, setState] = useState<'idle' | 'copied' | 'failed'>('idle');
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(text);
      setState('copied');
    } catch {
      setState('failed');
    }
    setTimeout(() => setState('idle'), 2500);
  };
  return (
    <span class="copy">
      <button type="button" onClick={copy} aria-label={`${label} ${what}`}>
        {label}
      </button>
      <span role="status" class="hint">
        {state === 'copied'
          ? 'Copied.'
          : state === 'failed'
            ? 'Could not copy: select the text and press Ctrl+C.'
            : ''}
      </span>
    </span>
  );
}
