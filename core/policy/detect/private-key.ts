import type { Detector } from './detector.ts';

const BEGIN = '-----BEGIN ';
const END_OF_LABEL = 'PRIVATE KEY-----';

/**
 * PEM and OpenSSH private keys: a "-----BEGIN … PRIVATE KEY-----" line (RSA, EC, DSA,
 * OPENSSH, ENCRYPTED or bare PKCS #8). Public keys and certificates are not counted.
 */
export const privateKey: Detector = {
  id: 'private_key',
  name: 'Private keys',
  scan(text) {
    let count = 0;
    for (let i = text.indexOf(BEGIN); i !== -1; i = text.indexOf(BEGIN, i + BEGIN.length)) {
      const labelEnd = text.indexOf('-----', i + BEGIN.length);
      // Labels are short ("ENCRYPTED PRIVATE KEY"): look no further than 40 characters.
      if (labelEnd === -1 || labelEnd - i > BEGIN.length + 40) continue;
      const label = text.slice(i + BEGIN.length, labelEnd + 5);
      if (label.endsWith(END_OF_LABEL) && !label.includes('\n')) count++;
    }
    return count;
  },
};
