// A small static HTTPS server for a built add-in (the demo build in end-to-end tests and the
// bench): the same headers as the dev server, no bundler in the way of load-time measurements.
import { createReadStream, existsSync, statSync } from "node:fs";
import { createServer, type Server } from "node:https";
import type { AddressInfo } from "node:net";
import { extname, join, normalize, sep } from "node:path";

const types: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".png": "image/png",
  ".svg": "image/svg+xml",
  ".xml": "application/xml; charset=utf-8",
  ".map": "application/json; charset=utf-8",
};

export interface StaticServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

export function securityHeaders(csp: string): Record<string, string> {
  return {
    "Content-Security-Policy": csp,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "Strict-Transport-Security": "max-age=31536000",
  };
}

export async function startStaticServer(options: {
  root: string;
  port?: number;
  tls: { key: string; cert: string };
  csp: string;
}): Promise<StaticServer> {
  const root = normalize(options.root);
  const headers = securityHeaders(options.csp);
  const server: Server = createServer(
    { key: options.tls.key, cert: options.tls.cert },
    (req, res) => {
      const path = decodeURIComponent(new URL(req.url ?? "/", "https://localhost").pathname);
      const file = normalize(join(root, path === "/" ? "index.html" : path));
      if (!file.startsWith(root + sep) || !existsSync(file) || !statSync(file).isFile()) {
        res.writeHead(404, { "Content-Type": "text/plain", ...headers });
        res.end("Not found");
        return;
      }
      res.writeHead(200, {
        "Content-Type": types[extname(file)] ?? "application/octet-stream",
        "Cache-Control": "no-store",
        ...headers,
      });
      createReadStream(file).pipe(res);
    },
  );
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, "localhost", resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `https://localhost:${port}`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
