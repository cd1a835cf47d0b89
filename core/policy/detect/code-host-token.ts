import { type Detector, isAlnum } from './detector.ts';
import { countTokens, type TokenFormat } from './token-scan.ts';

const word = (c: number) => isAlnum(c) || c === 95;
const dashed = (c: number) => isAlnum(c) || c === 95 || c === 45;

/** Code hosts' and registries' access tokens, by their documented prefixes and lengths. */
const FORMATS: readonly TokenFormat[] = [
  ...['ghp_', 'gho_', 'ghu_', 'ghs_', 'ghr_'].map((prefix) => ({
    prefix,
    body: isAlnum,
    min: 36,
    max: 36,
  })), // GitHub classic, OAuth, user-to-server, server-to-server, refresh
  { prefix: 'github_pat_', body: word, min: 82, max: 82 }, // GitHub fine-grained
  { prefix: 'glpat-', body: dashed, min: 20, max: 64 }, // GitLab personal access token
  { prefix: 'npm_', body: isAlnum, min: 36, max: 36 }, // npm access token
];

export const codeHostToken: Detector = {
  id: 'code_host_token',
  name: 'Code host tokens (GitHub, GitLab, npm)',
  scan: (text) => countTokens(text, FORMATS),
};
