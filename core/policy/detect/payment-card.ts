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
function isCard(digits: string): boolean {
  const first = digits.charCodeAt(0) - 48;
  return digits.length >= 13 && first >= 2 && first <= 6 && luhnValid(digits);
}

export const paymentCard: Detector = {
  id: 'payment_card',
  name: 'Payment card numbers',
  scan(text) {
    let count = 0;
    const n = text.length;
    let i = 0;
    for (const start of wordStarts(text)) {
      if (start < i || !isDigit(text.charCodeAt(start))) continue;
      i = start;
      // Collect digits, allowing one space or dash between two digits. A card ends where a
      // group ends ("4111 1111 1111 1111 12/29" holds one), so each group end is a candidate.
      let digits = '';
      let j = i;
      let cardEnd = -1;
      while (j < n && digits.length < 19) {
        const d = text.charCodeAt(j);
        if (isDigit(d)) {
          digits += text[j];
          j++;
          const after = j < n ? text.charCodeAt(j) : -1;
          if (!isDigit(after) && !isAlnum(after) && isCard(digits)) cardEnd = j;
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
