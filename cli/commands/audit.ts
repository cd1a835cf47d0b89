import fs from 'node:fs';
import readline from 'node:readline';
import { readPublicKey, verifyExport } from '../../server/cli/verify-export.ts';
import { CliError } from '../cli-error.ts';

const USAGE = 'usage: palisade audit verify EXPORT.ndjson --key PUBLIC_KEY.json';

/**
 * `palisade audit verify EXPORT.ndjson --key PUBLIC_KEY.json`: checks an NDJSON export of
 * the audit trail offline (docs/audit-verify.md). Exit 0 when it verifies, 1 when it does
 * not (the first broken row is printed), 2 on a usage or file error.
 */
export async function auditCommand(args: string[]): Promise<number> {
  const [sub, ...rest] = args;
  const keyAt = rest.indexOf('--key');
  const keyFile = keyAt >= 0 ? rest[keyAt + 1] : undefined;
  const files = rest.filter((_, i) => i !== keyAt && i !== keyAt + 1);
  if (sub !== 'verify' || !keyFile || files.length !== 1) throw new CliError(USAGE);
  const file = files[0]!;

  let key;
  try {
    key = await readPublicKey(JSON.parse(fs.readFileSync(keyFile, 'utf8')));
  } catch (err) {
    throw new CliError(`${keyFile}: ${(err as Error).message}`);
  }
  if (!fs.existsSync(file)) throw new CliError(`${file} does not exist`);
  const input = fs.createReadStream(file, { encoding: 'utf8' });
  const result = await verifyExport(readline.createInterface({ input, crlfDelay: Infinity }), key);
  if (!result.ok) {
    const b = result.firstBroken!;
    console.log(`BROKEN at seq ${b.seq} (line ${b.line}): ${b.reason}`);
    console.log(`${result.checked} rows verified before it`);
    return 1;
  }
  const head = result.head!;
  console.log(
    `ok: ${result.checked} rows verified (seq ${result.startsAfter + 1}–${head.seq}` +
      `${result.startsAfter ? `, after the signed checkpoint at seq ${result.startsAfter}` : ''}),` +
      ` ending on the head signed at ${head.signedAt} by key ${key.keyId}`,
  );
  return 0;
}
