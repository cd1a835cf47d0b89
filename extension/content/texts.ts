import type { ContentAction } from '../shared/messages.ts';

interface ActionTexts {
  blockedTitle: string;
  blockedBody: string;
  warnTitle: string;
  warnBody: string;
  proceed: string;
  loading: string;
}

const NOUN: Record<ContentAction, [noun: string, verb: string]> = {
  copy: ['Copying', 'Copy'],
  cut: ['Cutting', 'Cut'],
  paste: ['Pasting', 'Paste'],
  print: ['Printing', 'Print'],
  upload: ['Uploading files', 'Upload'],
};

const WHAT: Record<ContentAction, string> = {
  copy: 'copying from this page',
  cut: 'cutting from this page',
  paste: 'pasting this content here',
  print: 'printing this page',
  upload: 'uploading files to this site',
};

/** What the notices and questions say, per action. Policy messages override the bodies. */
export function texts(action: ContentAction): ActionTexts {
  const [noun, verb] = NOUN[action];
  return {
    blockedTitle: `${noun} is blocked here`,
    blockedBody: `Your organisation's policy does not allow ${WHAT[action]}.`,
    warnTitle: `${verb} anyway?`,
    warnBody: `Your organisation's policy asks you to confirm before ${WHAT[action]}.`,
    proceed: verb,
    loading: "Palisade is still loading your organisation's policy. Try again in a moment.",
  };
}
