// Draws the Fieldkit icon (a teal rounded square, a white "F" and an amber status dot) and writes the
// files electron-builder wants: build/icon.png (512), build/icons/<n>x<n>.png, build/icon.ico and
// build/icon.icns. Plain Node (zlib), so it needs no image tools: `npx tsx build/generate-icons.ts`.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { deflateSync } from 'node:zlib';

type Rgb = [number, number, number];
interface Shape {
  inside(x: number, y: number): boolean;
  color: Rgb;
}

const TEAL: Rgb = [14, 90, 107];
const WHITE: Rgb = [255, 255, 255];
const AMBER: Rgb = [242, 182, 50];

/** Rounded rectangle in a 0..1 square. */
function roundRect(x0: number, y0: number, x1: number, y1: number, r: number, color: Rgb): Shape {
  return {
    color,
    inside(x, y) {
      if (x < x0 || x > x1 || y < y0 || y > y1) return false;
      const dx = Math.max(x0 + r - x, 0, x - (x1 - r));
      const dy = Math.max(y0 + r - y, 0, y - (y1 - r));
      return dx * dx + dy * dy <= r * r;
    },
  };
}

function circle(cx: number, cy: number, r: number, color: Rgb): Shape {
  return { color, inside: (x, y) => (x - cx) ** 2 + (y - cy) ** 2 <= r * r };
}

const SHAPES: Shape[] = [
  roundRect(0.0625, 0.0625, 0.9375, 0.9375, 0.18, TEAL),
  roundRect(0.32, 0.24, 0.44, 0.76, 0.03, WHITE),
  roundRect(0.32, 0.24, 0.7, 0.35, 0.03, WHITE),
  roundRect(0.32, 0.45, 0.63, 0.55, 0.03, WHITE),
  circle(0.685, 0.685, 0.07, AMBER),
];

/** RGBA pixels, 4x4 supersampled for smooth edges. */
function draw(size: number): Buffer {
  const pixels = Buffer.alloc(size * size * 4);
  const n = 4;
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      let r = 0,
        g = 0,
        b = 0,
        a = 0;
      for (let sy = 0; sy < n; sy++) {
        for (let sx = 0; sx < n; sx++) {
          const x = (px + (sx + 0.5) / n) / size;
          const y = (py + (sy + 0.5) / n) / size;
          let top: Shape | undefined;
          for (const shape of SHAPES) if (shape.inside(x, y)) top = shape;
          if (top) {
            r += top.color[0];
            g += top.color[1];
            b += top.color[2];
            a += 1;
          }
        }
      }
      const i = (py * size + px) * 4;
      if (a > 0) {
        pixels[i] = Math.round(r / a);
        pixels[i + 1] = Math.round(g / a);
        pixels[i + 2] = Math.round(b / a);
      }
      pixels[i + 3] = Math.round((255 * a) / (n * n));
    }
  }
  return pixels;
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(data: Buffer): number {
  let c = 0xffffffff;
  for (const byte of data) c = CRC_TABLE[(c ^ byte) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

function png(size: number): Buffer {
  const rgba = draw(size);
  const rows = Buffer.alloc(size * (size * 4 + 1));
  for (let y = 0; y < size; y++) rgba.copy(rows, y * (size * 4 + 1) + 1, y * size * 4, (y + 1) * size * 4);
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header.set([8, 6, 0, 0, 0], 8); // 8-bit RGBA, no interlace
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(rows, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** Windows .ico with PNG-compressed images (supported since Vista). */
function ico(images: Map<number, Buffer>): Buffer {
  const entries = [...images];
  const header = Buffer.alloc(6 + 16 * entries.length);
  header.writeUInt16LE(0, 0);
  header.writeUInt16LE(1, 2);
  header.writeUInt16LE(entries.length, 4);
  let offset = header.length;
  entries.forEach(([size, data], i) => {
    const e = 6 + 16 * i;
    header.writeUInt8(size >= 256 ? 0 : size, e);
    header.writeUInt8(size >= 256 ? 0 : size, e + 1);
    header.writeUInt16LE(1, e + 4); // colour planes
    header.writeUInt16LE(32, e + 6); // bits per pixel
    header.writeUInt32LE(data.length, e + 8);
    header.writeUInt32LE(offset, e + 12);
    offset += data.length;
  });
  return Buffer.concat([header, ...entries.map(([, data]) => data)]);
}

/** macOS .icns with PNG payloads: ic07 128, ic08 256, ic09 512, ic10 1024. */
function icns(images: Map<number, Buffer>): Buffer {
  const types: Record<number, string> = { 128: 'ic07', 256: 'ic08', 512: 'ic09', 1024: 'ic10' };
  const parts = [...images].map(([size, data]) => {
    const head = Buffer.alloc(8);
    head.write(types[size]!, 0, 'ascii');
    head.writeUInt32BE(data.length + 8, 4);
    return Buffer.concat([head, data]);
  });
  const head = Buffer.alloc(8);
  head.write('icns', 0, 'ascii');
  head.writeUInt32BE(8 + parts.reduce((n, p) => n + p.length, 0), 4);
  return Buffer.concat([head, ...parts]);
}

const BUILD = fileURLToPath(new URL('.', import.meta.url));
const sizes = [16, 32, 48, 64, 128, 256, 512, 1024];
const pngs = new Map(sizes.map((size) => [size, png(size)] as const));
const pick = (list: number[]) => new Map(list.map((s) => [s, pngs.get(s)!] as const));

mkdirSync(join(BUILD, 'icons'), { recursive: true });
for (const size of [16, 32, 48, 64, 128, 256, 512])
  writeFileSync(join(BUILD, 'icons', `${size}x${size}.png`), pngs.get(size)!);
writeFileSync(join(BUILD, 'icon.png'), pngs.get(512)!);
writeFileSync(join(BUILD, 'icon.ico'), ico(pick([16, 32, 48, 64, 128, 256])));
writeFileSync(join(BUILD, 'icon.icns'), icns(pick([128, 256, 512, 1024])));
console.log('icons written to build/');
