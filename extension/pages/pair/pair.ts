import { createPagePlatform } from '../../platform/browser.ts';
import { callBackground } from '../../shared/call-background.ts';

/**
 * Pairing confirmation. The request id is in the fragment; the background holds the token.
 * Only the user's click here lets a web page's pairing request become an enrollment.
 */
const platform = createPagePlatform();
const requestId = decodeURIComponent(location.hash.slice(1));
const $ = (id: string) => document.getElementById(id)!;

async function main(): Promise<void> {
  const pending = await callBackground(platform, 'pair.pending', { requestId });
  if (!pending.ok) return finish('This pairing request has expired or is not valid.', false);
  const { serverUrl, currentServerUrl, replaces } = pending.value;
  $('server').textContent = serverUrl;
  if (replaces && currentServerUrl) {
    // Said plainly, before the question: pairing here ends the current enrollment.
    $('title').textContent = 'Replace this browser’s enrollment?';
    for (const el of document.querySelectorAll('.current')) el.textContent = currentServerUrl;
    $('new-server').textContent = serverUrl;
    $('replace').hidden = false;
    $('accept').textContent = `Replace and pair with ${new URL(serverUrl).host}`;
  }
  $('ask').hidden = false;
  // With a replacement at stake, the safe answer has the focus.
  $(replaces ? 'decline' : 'accept').focus();
}

async function decide(accept: boolean): Promise<void> {
  for (const id of ['accept', 'decline']) ($(id) as HTMLButtonElement).disabled = true;
  const reply = await callBackground(platform, 'pair.decide', { requestId, accept });
  if (!reply.ok) return finish(`Pairing failed: ${reply.message}`, false);
  if (!accept) return finish('Not paired. You can close this tab.', false);
  finish('Paired. Your organisation’s policy now applies in this browser.', true);
  // Back to the portal, which shows the result too.
  setTimeout(() => window.close(), 1500);
}

function finish(text: string, success: boolean): void {
  $('ask').hidden = true;
  $('title').textContent = success ? 'Browser paired' : 'Not paired';
  $('result').textContent = text;
  $('result').hidden = false;
  $('title').focus();
}

$('accept').addEventListener('click', () => void decide(true));
$('decline').addEventListener('click', () => void decide(false));
void main();
