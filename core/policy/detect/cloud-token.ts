import { type Detector, isAlnum, isBase64Url, isDigit, isUpper } from './detector.ts';
import { countTokens, type TokenFormat } from './token-scan.ts';

const upperOrDigit = (c: number) => isUpper(c) || isDigit(c);

/** Cloud providers' credentials, by their documented prefixes and lengths. */
const FORMATS: readonly TokenFormat[] = [
  { prefix: 'AKIA', body: upperOrDigit, min: 16, max: 16 }, // AWS access key id
  { prefix: 'ASIA', body: upperOrDigit, min: 16, max: 16 }, // AWS temporary key id
  { prefix: 'AIza', body: isBase64Url, min: 35, max: 35 }, // Google API key
  { prefix: 'sk_live_', body: isAlnum, min: 24, max: 99 }, // Stripe secret key
  { prefix: 'rk_live_', body: isAlnum, min: 24, max: 99 }, // Stripe restricted key
  { prefix: 'xoxb-', body: (c) => isAlnum(c) || c === 45, min: 20, max: 200 }, // Slack bot
  { prefix: 'xoxp-', body: (c) => isAlnum(c) || c === 45, min: 20, max: 200 }, // Slack user
];

export const cloudToken: Detector = {
  id: 'cloud_token',
  name: 'Cloud credentials (AWS, Google, Stripe, Slack)',
  scan: (text) => countTokens(text, FORMATS),
};
