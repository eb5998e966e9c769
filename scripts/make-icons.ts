// Draws the SEPT for Outlook icon (teal rounded square, white envelope, amber "save" badge) and
// writes assets/icon-{16,32,64,80,128}.png. Pure Node, no image library: the icons are reproducible
// from this file alone. Run: `npx tsx scripts/make-icons.ts [outDir]`.
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { deflateSync } from "node:zlib";

/** The sizes the manifest declares: 64/128 for the store tile, 16/32/80 for the ribbon button. */
export const ICON_SIZES = [16, 32, 64, 80, 128] as const;

type Rgba = readonly [number, number, number, number];
/** A shape in unit coordinates (0..1 on both axes, y down): true where the point is covered. */
type Shape = (x: number, y: number) => boolean;
interface Layer {
  shape: Shape;
  color: Rgba;
}

const TEAL: Rgba = [14, 124, 134, 255];
const WHITE: Rgba = [255, 255, 255, 255];
const AMBER: Rgba = [242, 169, 0, 255];

// ---- PNG encoding -------------------------------------------------------------------------

const CRC_TABLE: Uint32Array = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

/** CRC-32 (ISO 3309, the polynomial PNG chunks use). */
export function crc32(bytes: Uint8Array): number {
  let crc = 0xffffffff;
  for (const byte of bytes) crc = CRC_TABLE[(crc ^ byte) & 0xff]! ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

function pngChunk(type: string, data: Uint8Array): Buffer {
  const typeAndData = Buffer.concat([Buffer.from(type, "ascii"), data]);
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(typeAndData));
  return Buffer.concat([length, typeAndData, crc]);
}

/** Encodes 8-bit RGBA pixels (row-major, width*height*4 bytes) as a non-interlaced PNG. */
export function encodePng(width: number, height: number, rgba: Uint8Array): Buffer {
  if (rgba.length !== width * height * 4) {
    throw new Error(`expected ${width * height * 4} RGBA bytes, got ${rgba.length}`);
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  // Bit depth 8, colour type 6 (RGBA), deflate, standard filtering, no interlace.
  header.set([8, 6, 0, 0, 0], 8);
  const stride = width * 4;
  const raw = Buffer.alloc((stride + 1) * height);
  for (let y = 0; y < height; y++) {
    raw[y * (stride + 1)] = 0; // filter type None: the images are tiny, compression hardly matters
    raw.set(rgba.subarray(y * stride, (y + 1) * stride), y * (stride + 1) + 1);
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk("IHDR", header),
    pngChunk("IDAT", deflateSync(raw, { level: 9 })),
    pngChunk("IEND", new Uint8Array(0)),
  ]);
}

// ---- Shapes -------------------------------------------------------------------------------

function roundedRect(x0: number, y0: number, x1: number, y1: number, r: number): Shape {
  return (x, y) => {
    if (x < x0 || x > x1 || y < y0 || y > y1) return false;
    const dx = Math.max(x0 + r - x, 0, x - (x1 - r));
    const dy = Math.max(y0 + r - y, 0, y - (y1 - r));
    return dx * dx + dy * dy <= r * r;
  };
}

function segment(ax: number, ay: number, bx: number, by: number, width: number): Shape {
  const lengthSquared = (bx - ax) ** 2 + (by - ay) ** 2;
  return (x, y) => {
    const t = Math.max(
      0,
      Math.min(1, ((x - ax) * (bx - ax) + (y - ay) * (by - ay)) / lengthSquared),
    );
    const px = ax + t * (bx - ax);
    const py = ay + t * (by - ay);
    return (x - px) ** 2 + (y - py) ** 2 <= (width / 2) ** 2;
  };
}

function circle(cx: number, cy: number, r: number): Shape {
  return (x, y) => (x - cx) ** 2 + (y - cy) ** 2 <= r * r;
}

function triangle(points: readonly [number, number][]): Shape {
  const [a, b, c] = points as [[number, number], [number, number], [number, number]];
  const side = (p: [number, number], q: [number, number], x: number, y: number): number =>
    (q[0] - p[0]) * (y - p[1]) - (q[1] - p[1]) * (x - p[0]);
  return (x, y) => {
    const s1 = side(a, b, x, y);
    const s2 = side(b, c, x, y);
    const s3 = side(c, a, x, y);
    return (s1 >= 0 && s2 >= 0 && s3 >= 0) || (s1 <= 0 && s2 <= 0 && s3 <= 0);
  };
}

function union(...shapes: Shape[]): Shape {
  return (x, y) => shapes.some((shape) => shape(x, y));
}

/**
 * The logo, back to front. Strokes get thicker at small sizes so the envelope's flap and the
 * arrow stay visible on a 16 px ribbon button.
 */
function septLogo(size: number): Layer[] {
  const stroke = Math.max(0.06, 1.3 / size);
  const envelope = { x0: 0.16, y0: 0.26, x1: 0.74, y1: 0.66 };
  const flapTip = { x: (envelope.x0 + envelope.x1) / 2, y: 0.5 };
  const badge = { cx: 0.72, cy: 0.7, r: 0.2 };
  return [
    { shape: roundedRect(0, 0, 1, 1, 0.2), color: TEAL },
    {
      shape: roundedRect(envelope.x0, envelope.y0, envelope.x1, envelope.y1, 0.04),
      color: WHITE,
    },
    {
      shape: union(
        segment(envelope.x0 + 0.03, envelope.y0 + 0.03, flapTip.x, flapTip.y, stroke),
        segment(envelope.x1 - 0.03, envelope.y0 + 0.03, flapTip.x, flapTip.y, stroke),
      ),
      color: TEAL,
    },
    // A teal ring separates the badge from the envelope it overlaps.
    { shape: circle(badge.cx, badge.cy, badge.r + stroke * 0.8), color: TEAL },
    { shape: circle(badge.cx, badge.cy, badge.r), color: AMBER },
    {
      shape: union(
        segment(badge.cx, badge.cy - 0.11, badge.cx, badge.cy + 0.02, Math.max(0.06, 1.6 / size)),
        triangle([
          [badge.cx - 0.09, badge.cy],
          [badge.cx + 0.09, badge.cy],
          [badge.cx, badge.cy + 0.11],
        ]),
      ),
      color: WHITE,
    },
  ];
}

// ---- Rasterizing --------------------------------------------------------------------------

/** Colour at one sample point: the front-most layer that covers it, or transparent. */
function sampleColor(layers: readonly Layer[], x: number, y: number): Rgba | undefined {
  for (let i = layers.length - 1; i >= 0; i--) {
    const layer = layers[i]!;
    if (layer.shape(x, y)) return layer.color;
  }
  return undefined;
}

/** Antialiases by averaging samples×samples points per pixel, in premultiplied alpha. */
export function rasterize(layers: readonly Layer[], size: number, samples = 8): Uint8Array {
  const out = new Uint8Array(size * size * 4);
  const perPixel = samples * samples;
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      let r = 0;
      let g = 0;
      let b = 0;
      let a = 0;
      for (let sy = 0; sy < samples; sy++) {
        for (let sx = 0; sx < samples; sx++) {
          const color = sampleColor(
            layers,
            (px + (sx + 0.5) / samples) / size,
            (py + (sy + 0.5) / samples) / size,
          );
          if (!color) continue;
          const alpha = color[3] / 255;
          r += color[0] * alpha;
          g += color[1] * alpha;
          b += color[2] * alpha;
          a += alpha;
        }
      }
      const offset = (py * size + px) * 4;
      if (a > 0) {
        out[offset] = Math.round(r / a);
        out[offset + 1] = Math.round(g / a);
        out[offset + 2] = Math.round(b / a);
        out[offset + 3] = Math.round((a / perPixel) * 255);
      }
    }
  }
  return out;
}

export function renderIcon(size: number): Buffer {
  return encodePng(size, size, rasterize(septLogo(size), size));
}

/** Writes every icon into outDir and returns the paths written. */
export function writeIcons(outDir: string): string[] {
  mkdirSync(outDir, { recursive: true });
  return ICON_SIZES.map((size) => {
    const path = join(outDir, `icon-${size}.png`);
    writeFileSync(path, renderIcon(size));
    return path;
  });
}

function isMain(): boolean {
  return (
    process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)
  );
}

if (isMain()) {
  const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), "..");
  for (const path of writeIcons(resolve(process.argv[2] ?? join(repoRoot, "assets")))) {
    console.log(`wrote ${path}`);
  }
}
