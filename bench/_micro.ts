import { scanMime } from "../src/services/save/mime.js";
import { sha256Hex } from "../src/core/stored-email.js";
const big = new TextEncoder().encode(("Content-Type: text/plain\r\n\r\n" + Buffer.alloc(2_200_000, 7).toString("base64").match(/.{1,76}/g)!.join("\r\n")));
for (let i = 0; i < 5; i++) {
  let t = performance.now(); scanMime(big); const a = performance.now() - t;
  t = performance.now(); await sha256Hex(big); const b = performance.now() - t;
  console.log(`scan ${a.toFixed(1)} ms, sha ${b.toFixed(1)} ms`);
}
