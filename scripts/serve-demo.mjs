// The demo: the reference receiver, plus static servers on 127.0.0.1 for the gallery and the
// five seed apps. Prints one URL (the gallery); Ctrl-C or SIGTERM stops everything.
//
//   node scripts/serve-demo.mjs [--port 8080] [--data DIR]
//
// Each app gets its own port, hence its own origin: its own IndexedDB, device key and receipt
// chain, as five apps on one phone would have. Every server answers /receipts (and the
// receiver's other routes) by proxying to the receiver, so pages POST to their own origin and
// work under the CSP `default-src 'self'` they are served with.
//
// Plain Node ESM with built-ins only. The receiver and the native-host simulator are
// TypeScript: the receiver is loaded through tsx and the simulator is served through esbuild
// (both come with the devDependencies) when they are installed; without them the demo still
// runs, and the gallery says what is missing.
import { createReadStream, existsSync, readFileSync, statSync } from 'node:fs';
import { createServer, request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, extname, join, normalize, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const HOST = '127.0.0.1';
const APPS = ['lakala-pay', 'lianlian-pay', 'kltong', 'e-yueche', 'leliao-card'];
const GALLERY_PATH = '/examples/gallery/';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: process.env.PORT ?? '8080' },
    data: { type: 'string', default: join(tmpdir(), 'inapp-consent-demo') },
    help: { type: 'boolean', short: 'h', default: false },
  },
});
if (values.help) {
  console.log('node scripts/serve-demo.mjs [--port 8080] [--data DIR]\n  --port  the gallery port (apps use the next five; busy ports fall back to free ones)\n  --data  where the receiver keeps receipts.jsonl (default: a folder in the OS temp dir)');
  process.exit(0);
}
const basePort = Number(values.port);
if (!Number.isInteger(basePort) || basePort < 0 || basePort > 65535) {
  console.error(`serve-demo: --port ${values.port} is not a port number`);
  process.exit(2);
}

/** What the pages may load: the build, the examples, the themes; nothing else of the repo. */
const ROOTS = ['/dist/', '/examples/', '/themes/'];
const TYPES = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8', '.json': 'application/json; charset=utf-8', '.map': 'application/json; charset=utf-8',
  '.png': 'image/png', '.jpg': 'image/jpeg', '.svg': 'image/svg+xml', '.ico': 'image/x-icon', '.txt': 'text/plain; charset=utf-8',
  '.woff2': 'font/woff2',
};
/** The receiver's routes, proxied from every origin. */
const RECEIVER_ROUTES = ['/receipts', '/.well-known/jwks.json', '/health'];

// ---------------------------------------------------------------------------------------------
// The receiver

async function loadReceiver() {
  const candidates = ['examples/receiver/receiver.js', 'examples/receiver/receiver.mjs', 'examples/receiver/index.js', 'examples/receiver/receiver.ts', 'examples/receiver/index.ts'];
  const file = candidates.map((name) => join(ROOT, name)).find((path) => existsSync(path));
  if (!file) return { note: 'examples/receiver was not found' };
  let module;
  try {
    if (file.endsWith('.ts')) {
      let tsImport;
      try {
        ({ tsImport } = await import('tsx/esm/api'));
      } catch {
        return { note: 'the receiver is TypeScript and tsx is not installed (npm ci installs it)' };
      }
      module = await tsImport(pathToFileURL(file).href, import.meta.url);
    } else module = await import(pathToFileURL(file).href);
  } catch (error) {
    return { note: `the receiver could not be loaded (${error instanceof Error ? error.message : String(error)})` };
  }
  const start = module.startReceiver ?? module.start ?? module.default?.startReceiver;
  if (typeof start !== 'function') return { note: `${file.slice(ROOT.length + 1)} exports no startReceiver function` };
  try {
    const receiver = await start({ port: 0, host: HOST, dataDir: values.data });
    return { receiver };
  } catch (error) {
    return { note: `the receiver did not start (${error instanceof Error ? error.message : String(error)})` };
  }
}

// ---------------------------------------------------------------------------------------------
// Static servers

function contentSecurityPolicy(frameOrigins) {
  // The pages have no inline script or style: 'self' is all they need. The gallery frames the
  // apps (other ports, other origins); apps may be framed only by the gallery.
  const directives = ["default-src 'self'", "base-uri 'none'", "object-src 'none'", "form-action 'self'"];
  if (frameOrigins.length) directives.push(`frame-src 'self' ${frameOrigins.join(' ')}`);
  return directives.join('; ');
}

function proxy(receiverUrl, request, response) {
  if (!receiverUrl) {
    response.writeHead(503, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
    response.end(JSON.stringify({ error: 'the reference receiver is not running in this demo' }));
    return;
  }
  const target = new URL(request.url ?? '/', receiverUrl);
  const headers = { ...request.headers, host: target.host };
  delete headers.origin; // same-origin for the page; the receiver needs no CORS here
  const upstream = httpRequest(target, { method: request.method, headers }, (answer) => {
    response.writeHead(answer.statusCode ?? 502, answer.headers);
    answer.pipe(response);
  });
  upstream.on('error', (error) => {
    if (!response.headersSent) response.writeHead(502, { 'content-type': 'application/json; charset=utf-8' });
    response.end(JSON.stringify({ error: `receiver unreachable: ${error.message}` }));
  });
  request.pipe(upstream);
}

// The native-host simulator (examples/simulator) is TypeScript; the gallery imports it as
// `…/native-host.js`. Such a request is answered with the .ts file stripped of its types by
// esbuild (installed with tsx), when it is there.
const transpiled = new Map();
async function serveTypeScript(file, response) {
  let esbuild;
  try {
    esbuild = await import('esbuild');
  } catch {
    return void response.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('TypeScript needs esbuild (installed with the devDependencies)');
  }
  const { mtimeMs } = statSync(file);
  let entry = transpiled.get(file);
  if (!entry || entry.mtimeMs !== mtimeMs) {
    try {
      const source = readFileSync(file, 'utf8');
      const { code } = await esbuild.transform(source, { loader: 'ts', format: 'esm', target: 'es2020', sourcefile: file.slice(ROOT.length) });
      entry = { mtimeMs, code };
      transpiled.set(file, entry);
    } catch (error) {
      return void response.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' }).end(String(error));
    }
  }
  response.writeHead(200, { 'content-type': 'text/javascript; charset=utf-8', 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' });
  response.end(entry.code);
}

function serveFile(path, response, headers) {
  let file;
  try {
    file = normalize(join(ROOT, decodeURIComponent(path)));
  } catch {
    return void response.writeHead(400).end('bad path');
  }
  if (!ROOTS.some((root) => file.startsWith(join(ROOT, root)))) return void response.writeHead(404).end('not found');
  if (file.startsWith(join(ROOT, 'examples/'))) {
    const source = file.endsWith('.ts') ? file : file.endsWith('.js') && !existsSync(file) ? `${file.slice(0, -3)}.ts` : undefined;
    if (source && existsSync(source) && statSync(source).isFile()) return void serveTypeScript(source, response);
  }
  if (existsSync(file) && statSync(file).isDirectory()) {
    if (!path.endsWith('/')) return void response.writeHead(301, { location: `${path}/` }).end();
    file = join(file, 'index.html');
  }
  if (!existsSync(file) || !statSync(file).isFile()) return void response.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('not found');
  const type = TYPES[extname(file)] ?? 'application/octet-stream';
  response.writeHead(200, {
    'content-type': type,
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
    ...(type.startsWith('text/html') ? headers : {}),
  });
  createReadStream(file).pipe(response);
}

function startStatic(port, { receiverUrl, html, routes = {} }) {
  const server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://demo');
    if (RECEIVER_ROUTES.includes(url.pathname)) return proxy(receiverUrl(), request, response);
    if (request.method !== 'GET' && request.method !== 'HEAD') return void response.writeHead(405, { allow: 'GET, HEAD' }).end();
    if (url.pathname === '/favicon.ico') return void response.writeHead(204).end();
    const route = routes[url.pathname];
    if (route) return route(request, response);
    serveFile(url.pathname, response, html());
  });
  const listen = (wanted) =>
    new Promise((resolveListen, reject) => {
      const onError = (error) => {
        server.off('listening', onListening);
        reject(error);
      };
      const onListening = () => {
        server.off('error', onError);
        resolveListen();
      };
      server.once('error', onError);
      server.once('listening', onListening);
      server.listen(wanted, HOST);
    });
  return listen(port)
    .catch((error) => {
      if (error.code !== 'EADDRINUSE' && error.code !== 'EACCES') throw error;
      return listen(0); // the wanted port is taken: any free one
    })
    .then(() => ({ server, origin: `http://${HOST}:${server.address().port}` }));
}

// ---------------------------------------------------------------------------------------------
// Start

if (!existsSync(join(ROOT, 'dist/inapp-consent.iife.js'))) {
  console.warn('serve-demo: dist/inapp-consent.iife.js is missing; build first (npm run build, or npx rollup -c)');
}

const { receiver, note } = await loadReceiver();
const servers = [];
const appOrigins = {};
let galleryOrigin = '';

// The apps first (their origins go into the gallery's CSP and config), then the gallery.
for (const [index, slug] of APPS.entries()) {
  const { server, origin } = await startStatic(basePort === 0 ? 0 : basePort + 1 + index, {
    receiverUrl: () => receiver?.url,
    html: () => ({ 'content-security-policy': `${contentSecurityPolicy([])}; frame-ancestors 'self' ${galleryOrigin}` }),
    routes: { '/': (_request, response) => void response.writeHead(302, { location: `${galleryOrigin}${GALLERY_PATH}` }).end() },
  });
  servers.push(server);
  appOrigins[slug] = origin;
}

const config = () => ({
  receiver: receiver ? { url: '/receipts', note: null } : { url: null, note },
  apps: APPS.map((slug) => ({ slug, url: `${appOrigins[slug]}/examples/apps/${slug}/index.html` })),
});
const gallery = await startStatic(basePort, {
  receiverUrl: () => receiver?.url,
  html: () => ({ 'content-security-policy': contentSecurityPolicy(Object.values(appOrigins)) }),
  routes: {
    '/': (_request, response) => void response.writeHead(302, { location: GALLERY_PATH }).end(),
    '/demo-config.json': (_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
      response.end(JSON.stringify(config()));
    },
  },
});
servers.push(gallery.server);
galleryOrigin = gallery.origin;

console.log(`inapp-consent demo: five seed apps, a native-host simulator and the receipts view${receiver ? '' : `\n  (no receiver: ${note}; receipts stay on the devices)`}`);
console.log(`  ${galleryOrigin}${GALLERY_PATH}`);
console.log('  Ctrl-C stops it.');

let stopping = false;
async function stop(signal) {
  if (stopping) return;
  stopping = true;
  const closing = servers.map(
    (server) =>
      new Promise((done) => {
        server.closeAllConnections();
        server.close(() => done());
      }),
  );
  await Promise.all([...closing, receiver?.close?.()]);
  process.exitCode = signal === 'SIGINT' || signal === 'SIGTERM' ? 0 : 1;
  process.exit();
}
process.on('SIGINT', () => void stop('SIGINT'));
process.on('SIGTERM', () => void stop('SIGTERM'));
