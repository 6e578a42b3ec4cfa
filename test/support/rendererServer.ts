import { createServer, type Server } from 'node:http';
import { readFile } from 'node:fs/promises';
import { join, resolve, sep } from 'node:path';
import { CONTENT_SECURITY_POLICY } from '../../electron/main/csp';
import { mimeTypeFor } from '../../electron/main/appProtocol';

/** Serves the built renderer on loopback with the same CSP header the app:// protocol sends. */
/** Where the harness hands the page a big answer (see harness.ts): GET once, then it is gone. */
export const ANSWER_PATH = '/__docket/answer/';

export async function serveRenderer(root = resolve('out/renderer'), answers: Map<string, string> = new Map()): Promise<{ origin: string; close: () => Promise<void> }> {
  const server: Server = createServer((req, res) => {
    const pathname = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    if (pathname.startsWith(ANSWER_PATH)) {
      const token = pathname.slice(ANSWER_PATH.length);
      const text = answers.get(token);
      answers.delete(token);
      if (text === undefined) res.writeHead(404).end();
      else res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' }).end(text);
      return;
    }
    const file = resolve(join(root, pathname === '/' ? 'index.html' : pathname));
    if (!file.startsWith(root + sep)) {
      res.writeHead(404).end();
      return;
    }
    readFile(file).then(
      (body) => res.writeHead(200, { 'content-type': mimeTypeFor(file), 'content-security-policy': CONTENT_SECURITY_POLICY }).end(body),
      () => res.writeHead(404).end('not found'),
    );
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no address');
  return { origin: `http://127.0.0.1:${address.port}`, close: () => new Promise((done) => server.close(() => done())) };
}
