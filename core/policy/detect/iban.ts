import { type Detector, isAlnum, isDigit, isUpper, wordStarts } from './detector.ts';

/** ISO 13616 check: move the first four characters to the end, letters to 10–35, mod 97 = 1. */
export function ibanValid(iban: string): boolean {
  if (iban.length < 15 || iban.length > 34) return false;
  const s = iban.slice(4) + iban.slice(0, 4);
  let rem = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (isDigit(c)) rem = (rem * 10 + (c - 48)) % 97;
    else if (isUpper(c)) rem = (rem * 100 + (c - 55)) % 97;
    else return false;
  }
  return rem === 1;
}

const isIbanChar = (c: number) => isDigit(c) || isUpper(c);

/**
 * IBANs: a country code, two check digits and up to 30 letters or digits, written together
 * or in the printed form of groups of four split by single spaces ("FR76 3000 6000 …"),
 * passing the mod-97 check.
 */
export const iban: Detector = {
  id: 'iban',
  name: 'Bank account numbers (IBAN)',
  scan(text) {
    let count = 0;
    const n = text.length;
    let end = 0;
    for (const i of wordStarts(text)) {
      if (
        i < end ||
        i + 4 > n ||
        !isUpper(text.charCodeAt(i)) ||
        !isUpper(text.charCodeAt(i + 1)) ||
        !isDigit(text.charCodeAt(i + 2)) ||
        !isDigit(text.charCodeAt(i + 3))
      ) {
        continue;
      }
      let value = text.slice(i, i + 4);
      let j = i + 4;
      let found = false;
      if (text.charCodeAt(j) === 32) {
        // Printed form: groups of four split by single spaces, the last one maybe shorter.
        // Any prefix ending at a group counts, so trailing words ("… 189 EUR") do no harm.
        while (j < n && text.charCodeAt(j) === 32 && value.length < 34) {
          let k = j + 1;
          while (k < n && k - j - 1 < 4 && isIbanChar(text.charCodeAt(k))) k++;
          const group = k - j - 1;
          if (group === 0 || (k < n && isAlnum(text.charCodeAt(k)))) break;
          value += text.slice(j + 1, k);
          j = k;
          if (ibanValid(value)) found = true;
          if (group < 4) break;
        }
      } else {
        while (j < n && value.length <= 34 && isIbanChar(text.charCodeAt(j))) {
          value += text[j];
          j++;
        }
        found = (j >= n || !isAlnum(text.charCodeAt(j))) && ibanValid(value);
      }
      if (found) count++;
      end = j;
    }
    return count;
  },
};
