import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { brotliCompressSync, gzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { nodeFetch } from './transport.js';

describe("nodeFetch's text(), as fetch reads it", () => {
  let server: Server | null = null;
  afterEach(() => new Promise<void>((done) => (server ? server.close(() => done()) : done())));
  const serve = async (body: Buffer, encoding?: string) => {
    server = createServer((_, response) => {
      response.writeHead(200, {
        'Content-Type': 'application/json',
        ...(encoding ? { 'Content-Encoding': encoding } : {}),
      });
      response.end(body);
    });
    await new Promise<void>((done) => server!.listen(0, '127.0.0.1', done));
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  };

  it('reads an ASCII page and a page with accents, emoji and a byte-order mark as fetch does', async () => {
    const ascii = JSON.stringify({ rows: [{ id: 'a', value: 'caf\\u00e9' }] });
    const utf8 = '\uFEFF' + JSON.stringify({ rows: [{ id: 'b', value: 'café 🍰 Zürich' }] });
    for (const [text, encoding, compress] of [
      [ascii, 'br', brotliCompressSync],
      [utf8, 'gzip', gzipSync],
      [utf8, undefined, (b: Buffer) => b],
    ] as const) {
      const url = await serve(compress(Buffer.from(text)), encoding);
      const [ours, theirs] = [await (await nodeFetch(url)).text(), await (await fetch(url)).text()];
      expect(ours).toBe(theirs);
      expect(JSON.parse(ours.replace(/^\uFEFF/, ''))).toEqual(JSON.parse(text.replace(/^\uFEFF/, '')));
      await new Promise<void>((done) => server!.close(() => done()));
      server = null;
    }
  });

  it('reads a body once', async () => {
    const response = await nodeFetch(await serve(Buffer.from('{"a":1}')));
    expect(await response.text()).toBe('{"a":1}');
    expect(response.bodyUsed).toBe(true);
    await expect(response.text()).rejects.toThrow(TypeError);
  });
});
