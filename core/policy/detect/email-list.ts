import { type Detector, isAlnum } from './detector.ts';

/** A pasted list of addresses is what a rule is about, not one address in a sentence. */
export const EMAIL_LIST_MIN = 5;

const isLocal = (c: number) =>
  isAlnum(c) || c === 46 || c === 95 || c === 45 || c === 43 || c === 37; // . _ - + %
const isDomain = (c: number) => isAlnum(c) || c === 46 || c === 45;

/** Counts addresses: each "@" is looked at once, with its local part and domain around it. */
export function countEmails(text: string): number {
  let count = 0;
  let from = 0;
  for (let at = text.indexOf('@', from); at !== -1; at = text.indexOf('@', from)) {
    let s = at;
    while (s > from && at - s < 64 && isLocal(text.charCodeAt(s - 1))) s--;
    let e = at + 1;
    let lastDot = -1;
    while (e < text.length && e - at < 255 && isDomain(text.charCodeAt(e))) {
      if (text.charCodeAt(e) === 46) lastDot = e;
      e++;
    }
    // A sentence's full stop after the domain is not part of it.
    while (e > at + 1 && text.charCodeAt(e - 1) === 46) {
      e--;
      lastDot = text.lastIndexOf('.', e - 1);
    }
    const tld = lastDot > at + 1 ? e - lastDot - 1 : 0;
    if (s < at && tld >= 2) count++;
    from = Math.max(e, at + 1);
  }
  return count;
}

/** Lists of email addresses: at least five in one text (a contact list, an export). */
export const emailList: Detector = {
  id: 'email_list',
  name: 'Lists of email addresses',
  scan(text) {
    const n = countEmails(text);
    return n >= EMAIL_LIST_MIN ? n : 0;
  },
};
