import type { ApiClient } from '../../helpers/api-client.ts';

/**
 * `uploaders` devices' worth of audit uploads, back to back, until `stop()` or until the
 * server dies under them; `acknowledged` holds the id of every event in a batch the server
 * answered 200 to — what a crash must not lose.
 */
export function uploadContinuously(
  device: ApiClient,
  batch: () => { id: string }[],
  uploaders: number,
): { acknowledged: string[]; stop(): Promise<void> } {
  const acknowledged: string[] = [];
  let stopped = false;
  const uploader = async () => {
    while (!stopped) {
      const events = batch();
      try {
        const res = await device.request('POST', '/api/v1/device/audit', { events });
        if (res.status === 200) acknowledged.push(...events.map((e) => e.id));
        else await res.arrayBuffer();
      } catch {
        return; // the connection died with the server
      }
    }
  };
  const running = Array.from({ length: uploaders }, uploader);
  return {
    acknowledged,
    async stop() {
      stopped = true;
      await Promise.all(running);
    },
  };
}
