import type { IncomingMessage, ServerResponse } from 'node:http';
import { secondsSince } from '../metrics.ts';
import type { Services } from '../service/services.ts';
import { devicePolicyAnswer } from './device-policy-answer.ts';

const PATH = '/api/v1/device/policy';

/**
 * The hot path of device sync, answered on the Node request before it becomes a Fetch
 * Request for Hono. Thousands of devices poll and reconnect, so this is most of a server's
 * traffic; building Request, Headers and Response objects for it cost several times the
 * answer itself (bench/sync). What to answer is `devicePolicyAnswer`, shared with the
 * route; when it defers (returns false here) the request goes through the app as usual.
 */
export async function answerDevicePolicy(
  req: IncomingMessage,
  res: ServerResponse,
  services: Services,
): Promise<boolean> {
  const start = performance.now();
  const answer = await devicePolicyAnswer(services, {
    authorization: req.headers.authorization,
    ifNoneMatch: req.headers['if-none-match'],
    accept: req.headers.accept,
  });
  if (answer === 'defer') return false;
  if (answer.body === null) {
    res.writeHead(answer.status, answer.headers);
    res.end();
  } else {
    res.writeHead(answer.status, {
      ...answer.headers,
      'Content-Length': Buffer.byteLength(answer.body),
    });
    res.end(answer.body);
  }
  services.ctx.metrics.observeRequest('GET', PATH, answer.status, secondsSince(start));
  return true;
}

export function isPolicyRequest(req: IncomingMessage): boolean {
  return req.method === 'GET' && req.url === PATH;
}
