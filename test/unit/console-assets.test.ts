/**
 * The console-assets function: the built console at /console and /console/, its files, config.json; strict
 * headers; long caching only for the exact version index.html references; 404 for anything else.
 */
import { gzipSync } from 'node:zlib';
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { buildConsole, buildConsoleSync, ConsoleAssets } from '../../console/build';
import { handler, setConsoleAssets } from '../../lambdas/console-assets';
import { assetVersion } from '../../lambdas/console/static-files';

function event(path: string, o: { file?: string; query?: Record<string, string>; headers?: Record<string, string>; stage?: string } = {}): APIGatewayProxyEvent {
  return {
    httpMethod: 'GET',
    path,
    resource: o.file ? '/console/{file}' : '/console',
    headers: { 'x-forwarded-proto': 'https', ...o.headers },
    pathParameters: o.file ? { file: o.file } : null,
    queryStringParameters: o.query ?? null,
    requestContext: { path: `${o.stage ?? ''}${path}` },
  } as unknown as APIGatewayProxyEvent;
}

const get = (path: string, o?: Parameters<typeof event>[1]) => handler(event(path, o));

describe('console assets', () => {
  let assets: ConsoleAssets;
  beforeAll(async () => {
    assets = await buildConsole();
    setConsoleAssets(assets);
  });
  afterAll(() => setConsoleAssets(undefined));

  describe('build', () => {
    it('produces index.html, app.js and app.css, minified, with index.html referencing each by content version', () => {
      // Assess
      expect(Object.keys(assets).sort()).toEqual(['app.css', 'app.js', 'index.html']);
      const html = assets['index.html']!.body;
      expect(html).toContain(`src="./app.js?v=${assetVersion(assets['app.js']!.body)}"`);
      expect(html).toContain(`href="./app.css?v=${assetVersion(assets['app.css']!.body)}"`);
      expect(assets['app.js']!.body.split('\n').length).toBeLessThan(5);
      expect(assets['app.js']!.contentType).toBe('text/javascript; charset=utf-8');
    });

    it('is the same synchronously (what the CDK app writes) and stays under 30 KB gzip in total', () => {
      // Act
      const sync = buildConsoleSync();
      // Assess
      expect(sync).toEqual(assets);
      const gzip = Object.values(sync).reduce((n, a) => n + gzipSync(a.body).length, 0);
      expect(gzip).toBeLessThan(30 * 1024);
    });

    it('uses no inline script or style the Content-Security-Policy would block', () => {
      const html = assets['index.html']!.body;
      expect(html).not.toMatch(/<script(?![^>]*\ssrc=)[^>]*>/);
      expect(html).not.toMatch(/<style|\sstyle=|\son[a-z]+=/);
      // The script builds the page with DOM calls only: nothing the API returns is parsed as HTML.
      expect(assets['app.js']!.body).not.toMatch(/innerHTML|outerHTML|insertAdjacentHTML|document\.write/);
    });
  });

  describe('serving', () => {
    it.each([
      ['/console/', undefined],
      ['/console/index.html', 'index.html'],
    ])('%s answers index.html with strict headers', async (path, file) => {
      // Act
      const res = await get(path, file ? { file } : {});
      // Assess
      expect(res.statusCode).toBe(200);
      // The built page, with config.json's content inline (the page signs in without fetching it first).
      expect(res.body).toBe(assets['index.html']!.body.replace('</head>', '<meta name="scimlink-config" content="{&quot;auth&quot;:&quot;local&quot;}"></head>'));
      expect(res.headers).toMatchObject({
        'Content-Type': 'text/html; charset=utf-8',
        'Cache-Control': 'no-cache',
        'X-Content-Type-Options': 'nosniff',
        'Referrer-Policy': 'no-referrer',
        'X-Frame-Options': 'DENY',
        'Strict-Transport-Security': 'max-age=31536000',
      });
      expect(res.headers!['Content-Security-Policy']).toBe(
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
      );
    });

    it('/console without the slash points the page at console/app.js (relative URLs would miss the folder)', async () => {
      // Act
      const res = await get('/console', { stage: '/prod' });
      // Assess
      expect(res.statusCode).toBe(200);
      expect(res.body).toContain('src="console/app.js?v=');
      expect(res.body).toContain('href="console/app.css?v=');
    });

    it('serves app.js for a year only at the version index.html names; other versions revalidate', async () => {
      // Prepare
      const v = assetVersion(assets['app.js']!.body);
      // Act
      const current = await get('/console/app.js', { file: 'app.js', query: { v } });
      const stale = await get('/console/app.js', { file: 'app.js', query: { v: 'old' } });
      // Assess
      expect(current.headers).toMatchObject({ 'Content-Type': 'text/javascript; charset=utf-8', 'Cache-Control': 'public, max-age=31536000, immutable', ETag: `"${v}"` });
      expect(current.body).toBe(assets['app.js']!.body);
      expect(stale.headers!['Cache-Control']).toBe('no-cache');
    });

    it('answers 304 to a matching If-None-Match', async () => {
      // Prepare
      const first = await get('/console/app.css', { file: 'app.css' });
      // Act
      const again = await get('/console/app.css', { file: 'app.css', headers: { 'If-None-Match': String(first.headers!.ETag) } });
      // Assess
      expect(again.statusCode).toBe(304);
      expect(again.body).toBe('');
    });

    it('config.json says local sign-in when npm start set the assets', async () => {
      const res = await get('/console/config.json', { file: 'config.json' });
      expect(res.headers!['Content-Type']).toBe('application/json; charset=utf-8');
      expect(JSON.parse(res.body)).toEqual({ auth: 'local' });
    });

    it.each(['nope.js', 'console-assets.json', '..%2Fpackage.json', 'app.js.map', 'constructor', '__proto__', 'toString'])('answers 404 for %s', async (file) => {
      // Act
      const res = await get(`/console/${file}`, { file });
      // Assess
      expect(res.statusCode).toBe(404);
      expect(res.headers).toMatchObject({ 'Cache-Control': 'no-store', 'X-Content-Type-Options': 'nosniff' });
    });

    it('no HSTS on plain http (the local server)', async () => {
      const res = await get('/console/', { headers: { 'x-forwarded-proto': 'http' } });
      expect(res.headers!['Strict-Transport-Security']).toBeUndefined();
    });
  });

  describe('deployed (Cognito)', () => {
    const env = { ...process.env };
    afterEach(() => {
      process.env = { ...env };
      setConsoleAssets(assets);
    });

    it('config.json names the hosted UI and client, and the CSP lets the page reach only that origin besides itself', async () => {
      // Prepare
      setConsoleAssets(assets, { auth: 'cognito', domain: 'https://scimlink-prod.auth.eu-west-1.amazoncognito.com', clientId: 'abc123' });
      // Act
      const res = await get('/console/config.json', { file: 'config.json' });
      // Assess
      expect(JSON.parse(res.body)).toEqual({ auth: 'cognito', domain: 'https://scimlink-prod.auth.eu-west-1.amazoncognito.com', clientId: 'abc123' });
      expect(res.headers!['Content-Security-Policy']).toContain("connect-src 'self' https://scimlink-prod.auth.eu-west-1.amazoncognito.com;");
      const page = await get('/console/', {});
      expect(page.body).toContain(
        '<meta name="scimlink-config" content="{&quot;auth&quot;:&quot;cognito&quot;,&quot;domain&quot;:&quot;https://scimlink-prod.auth.eu-west-1.amazoncognito.com&quot;,&quot;clientId&quot;:&quot;abc123&quot;}">',
      );
    });

    it('without assets handed over it reads console-assets.json next to the bundle; missing, a plain 500', async () => {
      // Prepare
      setConsoleAssets(undefined);
      process.env.COGNITO_DOMAIN = 'https://x.auth.eu-west-1.amazoncognito.com';
      process.env.COGNITO_CLIENT_ID = 'abc';
      const error = jest.spyOn(console, 'error').mockImplementation(() => undefined);
      // Act
      const res = await get('/console/', {});
      // Assess: in the repository there is no console-assets.json next to lambdas/console-assets.ts.
      expect(res.statusCode).toBe(500);
      expect(res.body).toBe('The console is not installed correctly (logged).');
      expect(error).toHaveBeenCalledTimes(1);
      error.mockRestore();
    });
  });
});
