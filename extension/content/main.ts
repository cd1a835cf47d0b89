import { createPagePlatform } from '../platform/browser.ts';
import { callBackground } from '../shared/call-background.ts';
import { createBackgroundMessageHandler } from './background-messages.ts';
import { startEnforcers } from './enforcer.ts';
import { EnforcerContext, type EnforcerUi } from './enforcer-context.ts';
import { clipboardApiEnforcer } from './enforcers/clipboard-api.ts';
import { clipboardEnforcer } from './enforcers/clipboard.ts';
import { formEnforcer } from './enforcers/form.ts';
import { printEnforcer } from './enforcers/print.ts';
import { uploadEnforcer } from './enforcers/upload.ts';
import { confirmDialog, justificationDialog } from './ui/confirm-dialog.ts';
import { showNotice } from './ui/notice.ts';

/** The isolated-world content script: every frame, document_start. */
const platform = createPagePlatform();
const controller = new AbortController();
const ui: EnforcerUi = {
  notice: (n) => void showNotice(document, n),
  confirm: (o) => confirmDialog(document, o),
  justify: (o) => justificationDialog(document, o),
};
const ctx = new EnforcerContext(window, (type, body) => callBackground(platform, type, body), ui);

startEnforcers(
  [clipboardEnforcer, clipboardApiEnforcer, printEnforcer, uploadEnforcer, formEnforcer],
  ctx,
  controller.signal,
);
platform.runtime.onMessage(
  createBackgroundMessageHandler(platform.runtime.id, platform.runtime.getURL('/'), ui),
);

// Load the policy now, and again whenever the user comes back to this page: the policy or
// the clipboard's provenance may have changed in another tab meanwhile.
const refresh = () => {
  ctx.refresh().catch((error: unknown) => {
    // An orphaned script (the extension was updated or removed) stops enforcing cleanly.
    if (String(error).includes('context invalidated')) controller.abort();
  });
};
refresh();
window.addEventListener('focus', refresh, { signal: controller.signal });
document.addEventListener(
  'visibilitychange',
  () => document.visibilityState === 'visible' && refresh(),
  { signal: controller.signal },
);
