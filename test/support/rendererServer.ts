import { createServer, type Server } from 'node:http';
import { readFile } from 'node:fs/promises';
import { join, resolve, sep } from 'node:path';
import { CONTENT_SECURITY_POLICY } from '../../electron/main/csp';
import { mimeTypeFor } from '../../electron/main/appProtocol';

/** Serves the built renderer on loopback with the same CSP header the app:// protocol sends. */
export async function serveRenderer(root = resolve('out/renderer')): Promise<{ origin: string; close: () => Promise<void> }> {
  const server: Server = createServer((req, res) => {
    const pathname = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
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
