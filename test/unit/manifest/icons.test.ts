// @vitest-environment node
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { inflateSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { ICON_SIZES, crc32, encodePng, renderIcon } from "../../../scripts/make-icons.js";
import { readPngSize } from "../../../scripts/validate-manifest.js";
import { ASSETS_DIR } from "./schema-tools.js";

describe("icon generation", () => {
  it("computes the standard CRC-32 check value", () => {
    expect(crc32(new TextEncoder().encode("123456789"))).toBe(0xcbf43926);
  });

  it("encodes a PNG whose chunks carry valid CRCs and whose pixels round-trip", () => {
    const pixels = new Uint8Array([255, 0, 0, 255, 0, 255, 0, 128, 0, 0, 255, 0, 9, 9, 9, 9]);
    const png = encodePng(2, 2, pixels);
    let offset = 8;
    const idat: Buffer[] = [];
    while (offset < png.length) {
      const length = png.readUInt32BE(offset);
      const typeAndData = png.subarray(offset + 4, offset + 8 + length);
      expect(png.readUInt32BE(offset + 8 + length)).toBe(crc32(typeAndData));
      if (typeAndData.toString("ascii", 0, 4) === "IDAT") idat.push(typeAndData.subarray(4));
      offset += 12 + length;
    }
    const raw = inflateSync(Buffer.concat(idat));
    expect([...raw.subarray(1, 9), ...raw.subarray(10, 18)]).toEqual([...pixels]);
  });

  it("the committed assets are exactly what scripts/make-icons.ts draws", () => {
    for (const size of ICON_SIZES) {
      const committed = readFileSync(join(ASSETS_DIR, `icon-${size}.png`));
      expect(readPngSize(committed)).toEqual({ width: size, height: size });
      expect(committed.equals(renderIcon(size)), `icon-${size}.png is stale`).toBe(true);
    }
  });
});
