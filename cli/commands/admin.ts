import { adminInvite } from '../../server/cli/admin-invite.ts';
import { CliError } from '../cli-error.ts';

/** `palisade admin invite --role admin|auditor EMAIL`: prints a one-time registration link. */
export async function adminCommand(args: string[]): Promise<number> {
  const [sub, ...rest] = args;
  if (sub !== 'invite')
    throw new CliError('usage: palisade admin invite --role admin|auditor EMAIL');
  const i = rest.indexOf('--role');
  const role = i >= 0 ? rest[i + 1] : undefined;
  if (role !== 'admin' && role !== 'auditor') {
    throw new CliError('--role must be admin or auditor');
  }
  const email = rest.filter((_, j) => j !== i && j !== i + 1)[0];
  if (!email || !/^[^\s@]+@[^\s@]+$/.test(email))
    throw new CliError("give the invitee's email address");
  const port = process.env.PORT ?? '8787';
  const { link, expiresAt } = await adminInvite({
    dataDir: process.env.DATA_DIR ?? './data',
    origin: process.env.ORIGIN ?? `http://localhost:${port}`,
    email,
    role,
  });
  console.log(`Invitation for ${email} (${role}), single use, expires ${expiresAt}:\n${link}`);
  return 0;
}
