import { type Detector, isAlnum, isDigit, wordStarts } from './detector.ts';

/**
 * The French social security number (NIR, "numéro de sécurité sociale"): 13 characters and
 * a 2-digit key = 97 − (number mod 97). Corsica's departments 2A and 2B count as 19 and 18
 * for the key. `nir` is the 15 characters without spaces.
 */
export function nirValid(nir: string): boolean {
  if (nir.length !== 15) return false;
  const sex = nir.charCodeAt(0) - 48;
  if (sex !== 1 && sex !== 2 && sex !== 3 && sex !== 4 && sex !== 7 && sex !== 8) return false;
  const month = Number(nir.slice(3, 5));
  if (!((month >= 1 && month <= 12) || (month >= 20 && month <= 42) || month >= 50)) {
    return false;
  }
  let body = nir.slice(0, 13);
  const dept = body.slice(5, 7);
  if (dept === '2A') body = body.slice(0, 5) + '19' + body.slice(7);
  else if (dept === '2B') body = body.slice(0, 5) + '18' + body.slice(7);
  for (let i = 0; i < 13; i++) if (!isDigit(body.charCodeAt(i))) return false;
  const key = Number(nir.slice(13));
  if (!isDigit(nir.charCodeAt(13)) || !isDigit(nir.charCodeAt(14))) return false;
  const mod = Number(body) % 97; // 13 digits are below 2^53: exact
  return key === 97 - mod;
}

/**
 * NIRs written together or spaced as on the carte Vitale ("1 85 05 78 006 084 36"):
 * 15 characters, digits except "2A" / "2B" for the department, single spaces allowed
 * between them, with a valid key.
 */
export const frNir: Detector = {
  id: 'fr_nir',
  name: 'French social security numbers (NIR)',
  scan(text) {
    let count = 0;
    const n = text.length;
    let i = 0;
    for (const start of wordStarts(text)) {
      const c = text.charCodeAt(start) - 48;
      // A NIR starts with 1, 2, 3, 4, 7 or 8: other numbers are not read further.
      if (start < i || (c !== 1 && c !== 2 && c !== 3 && c !== 4 && c !== 7 && c !== 8)) continue;
      i = start;
      // Count the characters first; only a candidate of 15 that ends a word is built.
      let len = 0;
      let prev = 0;
      let j = i;
      while (j < n && len < 15) {
        const d = text.charCodeAt(j);
        const corsica = len === 6 && prev === 50 && (d === 65 || d === 66); // "2A" / "2B"
        if (isDigit(d) || corsica) {
          prev = d;
          len++;
          j++;
        } else if (d === 32 && len > 0 && j + 1 < n && isAlnum(text.charCodeAt(j + 1))) {
          j++;
        } else break;
      }
      if (len === 15 && (j >= n || !isAlnum(text.charCodeAt(j)))) {
        if (nirValid(text.slice(i, j).replaceAll(' ', ''))) count++;
      }
      i = j;
    }
    return count;
  },
};
