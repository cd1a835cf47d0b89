import { Agent, get } from 'node:http';

/** A bounded keep-alive pool, as a fleet of browsers would not open 5,000 sockets at once from one host. */
const agent = new Agent({ keepAlive: true, maxSockets: 64 });

/** `GET` a device's policy over that pool: status, ETag, Content-Type and the body as text. */
export function fetchPolicy(url: string, headers: Record<string, string>) {
  return new Promise<{ status: number; etag: string; contentType: string; body: string }>(
    (resolve, reject) => {
      get(url, { headers, agent }, (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (d: string) => (body += d));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            etag: String(res.headers.etag ?? ''),
            contentType: String(res.headers['content-type'] ?? ''),
            body,
          }),
        );
      }).on('error', reject);
    },
  );
}
