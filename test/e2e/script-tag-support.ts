import { existsSync, readFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { fileURLToPath } from 'node:url';
import { startStaticServer, type StaticServer } from '../helpers/static-server.js';

type Route = (request: IncomingMessage, response: ServerResponse) => void;

/** The shipped script-tag file; the e2e files that run it skip when it is not built. */
export const IIFE = fileURLToPath(new URL('../../dist/inapp-consent.iife.js', import.meta.url));
export const iifeBuilt = existsSync(IIFE);

/**
 * test/e2e/pages, the built script tag at /inapp-consent.iife.js (read at each request, so a
 * rebuild is picked up), each of `pages` as HTML at its path, and any other `routes`.
 */
export function startScriptTagPages(pages: Record<string, string>, routes: Record<string, Route> = {}): Promise<StaticServer> {
  const html = Object.entries(pages).map(([path, text]): [string, Route] => [path, (_request, response) => response.writeHead(200, { 'content-type': 'text/html' }).end(text)]);
  return startStaticServer(fileURLToPath(new URL('pages', import.meta.url)), {
    routes: {
      ...Object.fromEntries(html),
      '/inapp-consent.iife.js': (_request, response) => response.writeHead(200, { 'content-type': 'text/javascript' }).end(readFileSync(IIFE)),
      ...routes,
    },
  });
}
