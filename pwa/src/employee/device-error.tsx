import type { ApiError } from '../api/api-error.ts';
import { ErrorText } from '../components/error-text.tsx';
import { Link } from '../router/link.tsx';

/**
 * Why this browser could not be added as a device. The group's device limit is not a
 * glitch to retry: it is said as what it is, with the way out (an admin revokes a device
 * the person no longer uses). Anything else is an error shown as one.
 */
export function DeviceError({ error }: { error: ApiError | null }) {
  if (!error) return null;
  if (error.code !== 'device_limit') return <ErrorText error={error} />;
  return (
    <div class="note" role="alert" data-code={error.code}>
      <p>
        <strong>This browser was not added: you have reached your group’s device limit.</strong>
      </p>
      <p>{error.message}</p>
      <p>
        Your devices are listed on <Link href="/">My status</Link>.
      </p>
    </div>
  );
}
