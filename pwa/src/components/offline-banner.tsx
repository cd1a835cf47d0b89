import { formatDateTime, formatRelative } from '../lib/format.ts';

interface Props {
  offline: boolean;
  /** ISO time the shown data was fetched; absent when nothing is cached. */
  updatedAt?: string | undefined;
  /** Now, for tests. */
  now?: number;
}

/**
 * Says plainly that what is on screen comes from this browser's cache, and how old it is,
 * so nobody mistakes yesterday's policy for today's.
 */
export function OfflineBanner({ offline, updatedAt, now }: Props) {
  if (!offline) return null;
  return (
    <p class="banner-offline" role="status">
      <strong>Offline</strong>
      {updatedAt ? (
        <span>
          {' — last updated '}
          <time dateTime={updatedAt} title={formatDateTime(updatedAt)}>
            {formatRelative(updatedAt, now)}
          </time>
          {` (${formatDateTime(updatedAt)}). Changes need the network.`}
        </span>
      ) : (
        <span> — nothing saved on this browser yet. Connect to the network to load it.</span>
      )}
    </p>
  );
}
