// The tenant job's `export --out`: the archive streams to a part file that takes the final name
// only once complete, so an access request never gets half an archive under the name it expects.
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { fileSink } from "../../../src/tenant/cli.js";

const dirs: string[] = [];
function outPath(): string {
  const dir = mkdtempSync(join(tmpdir(), "sept-file-sink-"));
  dirs.push(dir);
  return join(dir, "exports", "user.zip");
}
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe("the tenant export's file sink", () => {
  it("writes the parts in order under the final name once closed, and reports the size", async () => {
    const out = outPath();
    const reported: number[] = [];
    const sink = fileSink(out, (bytes) => reported.push(bytes));
    await sink.write(new TextEncoder().encode("PK-first-"));
    expect(existsSync(out)).toBe(false);
    await sink.write(new TextEncoder().encode("second"));
    await sink.close();
    expect(readFileSync(out, "utf8")).toBe("PK-first-second");
    expect(reported).toEqual([15]);
    expect(readdirSync(join(out, ".."))).toEqual(["user.zip"]);
  });

  it("leaves neither the archive nor its part file when the export fails", async () => {
    const out = outPath();
    const sink = fileSink(out, () => undefined);
    await sink.write(new TextEncoder().encode("PK-half"));
    await sink.abort?.(new Error("storage refused"));
    expect(existsSync(out)).toBe(false);
    expect(readdirSync(join(out, ".."))).toEqual([]);
  });
});
