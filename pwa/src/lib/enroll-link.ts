/** The link an employee opens; the code rides in the hash so it never reaches server logs. */
export function enrollLink(code: string, origin = location.origin): string {
  return `${origin}/enroll#${encodeURIComponent(code)}`;
}
