import { useEffect, useState } from 'preact/hooks';
import { applyUpdate, onUpdateReady } from './register-sw.ts';

/** "A new version is ready — reload": shown when a new service worker is waiting. */
export function UpdatePrompt() {
  const [ready, setReady] = useState(false);
  useEffect(() => onUpdateReady(setReady), []);
  if (!ready) return null;
  return (
    <div class="banner banner-update" role="status">
      <span>A new version of Palisade is ready.</span>
      <button type="button" class="primary" onClick={applyUpdate}>
        Reload
      </button>
    </div>
  );
}
