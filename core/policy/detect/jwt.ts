import { type Detector, isBase64Url, runEnd } from './detector.ts';

/**
 * JSON Web Tokens: three base64url segments joined by dots, the first two JSON objects
 * (so both start "eyJ", the encoding of '{"'), with a signature of at least 16 characters.
 */
export const jwt: Detector = {
  id: 'jwt',
  name: 'JSON Web Tokens',
  scan(text) {
    let count = 0;
    let i = text.indexOf('eyJ');
    while (i !== -1) {
      let next = i + 3;
      if (i === 0 || !isBase64Url(text.charCodeAt(i - 1))) {
        const h = runEnd(text, i, isBase64Url);
        next = h;
        if (h - i >= 10 && text.charCodeAt(h) === 46 && text.startsWith('eyJ', h + 1)) {
          const p = runEnd(text, h + 1, isBase64Url);
          next = p;
          if (p - h - 1 >= 10 && text.charCodeAt(p) === 46) {
            const s = runEnd(text, p + 1, isBase64Url);
            next = s;
            if (s - p - 1 >= 16) count++;
          }
        }
      }
      i = text.indexOf('eyJ', next);
    }
    return count;
  },
};
