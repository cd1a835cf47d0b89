import { type Detector, isAlnum, isDigit, wordStarts } from './detector.ts';

/** True when the digits pass the Luhn check (ISO/IEC 7812), the card numbers' check digit. */
export function luhnValid(digits: string): boolean {
  let sum = 0;
  for (let i = digits.length - 1, double = false; i >= 0; i--, double = !double) {
    let d = digits.charCodeAt(i) - 48;
    if (double) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

/**
 * Payment card numbers: 13 to 19 digits, written together or in groups split by single
 * spaces or dashes ("4111 1111 1111 1111"), starting with a card network's first digit
 * (2–6) and passing the Luhn check. Digits glued to letters or to more digits are not cards.
 */
export const paymentCard: Detector = {
  id: 'payment_card',
  name: 'Payment card numbers',
  scan(text) {
    let count = 0;
    const n = text.length;
    let i = 0;
    for (const start of wordStarts(text)) {
      const c = text.charCodeAt(start);
      // Card networks start with 2–6: other numbers (most of them) are not read further.
      if (start < i || c < 50 || c > 54) continue;
      i = start;
      // Collect digits, allowing one space or dash between two digits. A card ends where a
      // group ends ("4111 1111 1111 1111 12/29" holds one), so each group end is a candidate.
      // Luhn sums are kept for both parities, so each candidate is checked in O(1).
      let len = 0;
      let sumOdd = 0; // digits at odd positions doubled
      let sumEven = 0; // digits at even positions doubled
      let j = i;
      let cardEnd = -1;
      while (j < n && len < 19) {
        const d = text.charCodeAt(j);
        if (isDigit(d)) {
          const v = d - 48;
          const doubled = v * 2 > 9 ? v * 2 - 9 : v * 2;
          if (len % 2 === 1) {
            sumOdd += doubled;
            sumEven += v;
          } else {
            sumOdd += v;
            sumEven += doubled;
          }
          len++;
          j++;
          const after = j < n ? text.charCodeAt(j) : -1;
          // The last digit (index len − 1) is never doubled: pick the matching sum.
          const sum = (len - 1) % 2 === 0 ? sumOdd : sumEven;
          if (len >= 13 && !isAlnum(after) && sum % 10 === 0) cardEnd = j;
        } else if ((d === 32 || d === 45) && j + 1 < n && isDigit(text.charCodeAt(j + 1))) {
          j++;
        } else break;
      }
      if (cardEnd !== -1) {
        count++;
        i = cardEnd;
        continue;
      }
      i = j; // this run of digits was one candidate, and not a card
    }
    return count;
  },
};
