import { type Detector, isAlnum, isDigit, wordStarts } from './detector.ts';

/**
 * The SSA's rules for a Social Security number AAA-GG-SSSS: no area 000, 666 or 900–999,
 * no group 00, no serial 0000.
 */
export function ssnValid(area: number, group: number, serial: number): boolean {
  return area !== 0 && area !== 666 && area < 900 && group !== 0 && serial !== 0;
}

/**
 * US Social Security numbers in their written form, AAA-GG-SSSS or AAA GG SSSS (nine bare
 * digits are too often something else). The separators must match.
 */
export const usSsn: Detector = {
  id: 'us_ssn',
  name: 'US Social Security numbers',
  scan(text) {
    let count = 0;
    const n = text.length;
    const num = (from: number, len: number) => {
      let v = 0;
      for (let k = from; k < from + len; k++) {
        const c = text.charCodeAt(k);
        if (!isDigit(c)) return -1;
        v = v * 10 + (c - 48);
      }
      return v;
    };
    let end = 0;
    for (const i of wordStarts(text)) {
      if (i < end || i + 11 > n || !isDigit(text.charCodeAt(i))) continue;
      const sep = text.charCodeAt(i + 3);
      if ((sep !== 45 && sep !== 32) || text.charCodeAt(i + 6) !== sep) continue;
      if (i + 11 < n && isAlnum(text.charCodeAt(i + 11))) continue;
      const area = num(i, 3);
      const group = num(i + 4, 2);
      const serial = num(i + 7, 4);
      if (area < 0 || group < 0 || serial < 0) continue;
      if (ssnValid(area, group, serial)) {
        count++;
        end = i + 11;
      }
    }
    return count;
  },
};
