// The lobby's QR code: an SVG of this server's join link for the game, built from the Host the
// page came from, with malformed codes and Host headers refused.
import { request } from 'node:http';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { joinQrSvg } from '../src/join-qr.js';
import { type QuizApp, startQuizApp } from '../src/quiz-app.js';

/** A raw request with its own Host header; resolves with the status and body. */
function get(
  port: number,
  path: string,
  host: string,
  method = 'GET',
): Promise<{ status: number; type?: string; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method, headers: { host } }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk) => {
        body += chunk;
      });
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, type: res.headers['content-type'], body }),
      );
    });
    req.on('error', reject);
    req.end();
  });
}

describe('join QR code', () => {
  let app: QuizApp;

  beforeEach(async () => {
    app = await startQuizApp({ port: 0, host: '127.0.0.1', clientBundle: false });
  });
  afterEach(async () => {
    await app.close();
  });

  it('encodes the join link of the Host the page was loaded from', async () => {
    const res = await get(app.port, '/join-qr.svg?code=BCDF', 'quiz.example:8080');
    expect(res.status).toBe(200);
    expect(res.type).toBe('image/svg+xml');
    expect(res.body).toBe(joinQrSvg('http://quiz.example:8080/?code=BCDF'));
    expect(res.body).toMatch(/^<svg [^>]*viewBox=/);
    const v6 = await get(app.port, '/join-qr.svg?code=BCDF', '[::1]:3000');
    expect(v6.body).toBe(joinQrSvg('http://[::1]:3000/?code=BCDF'));
  });

  it('refuses malformed codes, Host headers and methods, and leaves other paths alone', async () => {
    const host = `127.0.0.1:${app.port}`;
    for (const path of ['/join-qr.svg', '/join-qr.svg?code=bcdf', '/join-qr.svg?code=AB%3Cx'])
      expect((await get(app.port, path, host)).status).toBe(400);
    for (const bad of ['evil.example/phish?', 'a b', 'x'.repeat(300), 'host:99999999'])
      expect((await get(app.port, '/join-qr.svg?code=BCDF', bad)).status).toBe(400);
    expect((await get(app.port, '/join-qr.svg?code=BCDF', host, 'POST')).status).toBe(405);
    expect((await get(app.port, '/join-qr.svgx', host)).status).toBe(404);
    expect((await get(app.port, '/', host)).status).toBe(200);
  });
});
