import { contract, type ContractKey, type RouteContract } from '../../contract/routes.ts';

/** Each route's pattern; literal paths first, so `/users/invite` is not taken for `/users/:id`. */
const PATTERNS = (Object.keys(contract) as ContractKey[])
  .map((key) => {
    const [method, path] = key.split(' ') as [string, string];
    const params = (path.match(/:/g) ?? []).length;
    const source = path.replace(/[.]/g, '\\.').replace(/:[A-Za-z_]\w*/g, '[^/]+');
    return { key, method, params, regex: new RegExp(`^${source}$`) };
  })
  .sort((a, b) => a.params - b.params);

/** The contract's key for a request, or undefined when it is not one of the API's routes. */
export function routeKeyOf(method: string, pathname: string): ContractKey | undefined {
  return PATTERNS.find((p) => p.method === method && p.regex.test(pathname))?.key;
}

/** The routes whose answers have been checked in this test file (for tests of coverage). */
export const checkedRoutes = new Set<ContractKey>();

/**
 * Throws when a route's successful JSON answer does not match its response schema in
 * contract/ (the one for its media type, when the route answers in more than one), naming
 * the route and each mismatching field.
 */
export function checkResponse(
  key: ContractKey,
  status: number,
  body: unknown,
  contentType = 'application/json',
): void {
  const entry: RouteContract = contract[key];
  if (!entry.response || status !== (entry.status ?? 200)) return;
  const mediaType = contentType.split(';')[0]!.trim().toLowerCase();
  const schema = entry.alsoAnswers?.[mediaType] ?? entry.response;
  const parsed = schema.safeParse(body);
  if (parsed.success) {
    checkedRoutes.add(key);
    return;
  }
  const issues = parsed.error.issues
    .map((i) => `  ${i.path.join('.') || '(root)'}: ${i.message}`)
    .join('\n');
  throw new Error(`${key} answered what contract/ does not describe:\n${issues}`);
}

/** `checkResponse` on a fetch Response (read from a clone, so the caller can still read it). */
export async function checkAgainstContract(
  method: string,
  url: string,
  res: Response,
): Promise<void> {
  const key = routeKeyOf(method, new URL(url).pathname);
  if (!key || !res.ok) return;
  const type = res.headers.get('content-type') ?? '';
  if (!/^application\/([\w.+-]*\+)?json\b/i.test(type)) return;
  checkResponse(key, res.status, await res.clone().json(), type);
}
