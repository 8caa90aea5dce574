import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { resolveStaticFile, sendFile } from './static-files.js';

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((dir) => rmSync(dir, { recursive: true, force: true })));

describe('static files of the web host', () => {
  it('answers 404, and keeps serving, when a file vanishes between lookup and read (a rebuild under a running host)', async () => {
    const root = mkdtempSync(join(tmpdir(), 'insight-static-'));
    dirs.push(root);
    writeFileSync(join(root, 'index.html'), '<p>hello</p>');
    const server = createServer((request, response) => {
      const file = resolveStaticFile(root, request.url ?? '/');
      if (!file) return void response.writeHead(404).end();
      sendFile(response, file);
    });
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      expect(await (await fetch(`${base}/`)).text()).toBe('<p>hello</p>');
      const rootFile = join(root, 'index.html');
      server.removeAllListeners('request');
      server.on('request', (_request, response) => {
        rmSync(rootFile, { force: true });
        sendFile(response, rootFile);
      });
      expect((await fetch(`${base}/`)).status).toBe(404);
      writeFileSync(rootFile, '<p>rebuilt</p>');
      server.removeAllListeners('request');
      server.on('request', (_request, response) => sendFile(response, rootFile));
      expect(await (await fetch(`${base}/`)).text()).toBe('<p>rebuilt</p>');
    } finally {
      await new Promise((done) => server.close(done));
    }
  });
});
