/**
 * The in-app path to return to after sign-in (`?next=`), or `/`. Only same-app paths are
 * followed: `//host` and `https://…` would leave the app (an open redirect).
 */
export function safeNext(next: string | null | undefined): string {
  return next && next.startsWith('/') && !next.startsWith('//') && !next.startsWith('/\\')
    ? next
    : '/';
}
