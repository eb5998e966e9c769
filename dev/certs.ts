// HTTPS material for the local demo, the Graph fake and the tests.
// On Windows and macOS, office-addin-dev-certs installs its development CA into the user's store
// (the system asks the user to confirm once). On Linux it would run `sudo`, so there, as root, and
// with SEPT_SELF_SIGNED=1 we generate a self-signed certificate for localhost instead: `npm start`
// never needs sudo.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { generate } from "selfsigned";

export interface TlsMaterial {
  key: string;
  cert: string;
  /** The certificate a client must trust to talk to servers using `cert`. */
  ca: string;
  source: "office-addin-dev-certs" | "self-signed";
}

const repoRoot = join(import.meta.dirname, "..");
const certDir = join(repoRoot, ".certs");

/** A fresh self-signed certificate for localhost / 127.0.0.1, valid for 30 days. */
export async function generateLocalhostCert(): Promise<TlsMaterial> {
  const notAfter = new Date(Date.now() + 30 * 24 * 3600 * 1000);
  const pems = await generate([{ name: "commonName", value: "localhost" }], {
    keySize: 2048,
    algorithm: "sha256",
    notAfterDate: notAfter,
    extensions: [
      { name: "basicConstraints", cA: true },
      { name: "keyUsage", digitalSignature: true, keyEncipherment: true, keyCertSign: true },
      { name: "extKeyUsage", serverAuth: true },
      {
        name: "subjectAltName",
        altNames: [
          { type: 2, value: "localhost" },
          { type: 7, ip: "127.0.0.1" },
        ],
      },
    ],
  } as Parameters<typeof generate>[1]);
  return { key: pems.private, cert: pems.cert, ca: pems.cert, source: "self-signed" };
}

/** The self-signed certificate kept in `.certs/`, created on first use and renewed when old. */
export async function selfSignedCert(): Promise<TlsMaterial> {
  const keyPath = join(certDir, "localhost.key");
  const certPath = join(certDir, "localhost.crt");
  if (existsSync(keyPath) && existsSync(certPath)) {
    const { X509Certificate } = await import("node:crypto");
    const cert = readFileSync(certPath, "utf8");
    const validTo = new Date(new X509Certificate(cert).validTo).getTime();
    if (validTo - Date.now() > 24 * 3600 * 1000) {
      return { key: readFileSync(keyPath, "utf8"), cert, ca: cert, source: "self-signed" };
    }
  }
  const fresh = await generateLocalhostCert();
  mkdirSync(certDir, { recursive: true });
  writeFileSync(keyPath, fresh.key, { mode: 0o600 });
  writeFileSync(certPath, fresh.cert);
  return fresh;
}

/** Certificates for `npm start`: trusted dev certs where the machine allows, else self-signed. */
export async function ensureDevCerts(): Promise<TlsMaterial> {
  const userStore = process.platform === "win32" || process.platform === "darwin";
  if (userStore && process.env.SEPT_SELF_SIGNED !== "1" && process.getuid?.() !== 0) {
    try {
      const devCerts = await import("office-addin-dev-certs");
      const opts = await devCerts.getHttpsServerOptions();
      return {
        key: String(opts.key),
        cert: String(opts.cert),
        ca: String(opts.ca),
        source: "office-addin-dev-certs",
      };
    } catch {
      // Falls through: no CA could be installed without a prompt.
    }
  }
  return selfSignedCert();
}
