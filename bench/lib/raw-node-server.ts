import { spawn, type ChildProcess } from 'node:child_process';

/**
 * The baseline: a bare `node:http` server in its own process answering every request
 * with a fixed 304, as cheap as an HTTP answer gets on this machine.
 */
export async function startRawNode304(): Promise<{ url: string; stop(): Promise<void> }> {
  const script = `
    const http = require('node:http');
    const s = http.createServer((req, res) => { res.writeHead(304, { etag: '"v1"' }); res.end(); });
    s.listen(0, '127.0.0.1', () => console.log(s.address().port));
  `;
  const child: ChildProcess = spawn(process.execPath, ['-e', script], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const port = await new Promise<number>((resolve) =>
    child.stdout!.once('data', (d) => resolve(Number(String(d)))),
  );
  return {
    url: `http://127.0.0.1:${port}`,
    stop: () =>
      new Promise((resolve) => {
        child.once('exit', () => resolve());
        child.kill();
      }),
  };
}
