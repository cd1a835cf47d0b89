/**
 * Writes the PWA's PNG icons (192, 512, maskable 512, 180 apple-touch, 32 favicon) into
 * pwa/public/icons/. The icons are committed; run this only to change them:
 * `node --import tsx pwa/tools/make-icons.ts`.
 *
 * Drawn from code rather than exported from an editor so the repository holds no opaque
 * binaries without a source: a palisade (three pointed stakes and a rail) on the theme colour.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { encodePng } from '../../scripts/lib/encode-png.ts';

const THEME: RGB = [0x1d, 0x4e, 0x89];
const STAKE: RGB = [0xff, 0xff, 0xff];
type RGB = [number, number, number];

/** Is the unit-square point (x, y) on the drawing? `pad` shrinks it into the safe zone. */
function inShape(x: number, y: number, pad: number): boolean {
  const u = (x - pad) / (1 - 2 * pad);
  const v = (y - pad) / (1 - 2 * pad);
  if (u < 0 || u > 1 || v < 0 || v > 1) return false;
  const stakes = [0.22, 0.5, 0.78];
  for (const cx of stakes) {
    const half = 0.1;
    if (Math.abs(u - cx) > half) continue;
    // Pointed top: the stake narrows linearly above v = 0.3.
    const top = 0.12 + (Math.abs(u - cx) / half) * 0.16;
    if (v >= top && v <= 0.88) return true;
  }
  return v >= 0.55 && v <= 0.63 && u >= 0.08 && u <= 0.92;
}

function draw(size: number, opts: { pad: number; rounded: boolean }): Buffer {
  const rgba = new Uint8Array(size * size * 4);
  const samples = 4; // 4×4 supersampling for smooth edges
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      let hits = 0;
      let inside = 0;
      for (let sy = 0; sy < samples; sy++) {
        for (let sx = 0; sx < samples; sx++) {
          const fx = (x + (sx + 0.5) / samples) / size;
          const fy = (y + (sy + 0.5) / samples) / size;
          if (!opts.rounded || inRoundedSquare(fx, fy)) inside++;
          if (inShape(fx, fy, opts.pad)) hits++;
        }
      }
      const n = samples * samples;
      const t = hits / n;
      const o = (y * size + x) * 4;
      for (let c = 0; c < 3; c++) rgba[o + c] = Math.round(THEME[c]! * (1 - t) + STAKE[c]! * t);
      rgba[o + 3] = Math.round((inside / n) * 255);
    }
  }
  return encodePng(size, size, rgba);
}

function inRoundedSquare(x: number, y: number): boolean {
  const r = 0.18;
  const dx = Math.max(r - x, 0, x - (1 - r));
  const dy = Math.max(r - y, 0, y - (1 - r));
  return dx * dx + dy * dy <= r * r;
}

const out = join(dirname(fileURLToPath(import.meta.url)), '../public/icons');
mkdirSync(out, { recursive: true });
// Maskable icons keep the drawing inside the 80 % safe zone and fill the whole square.
const icons: [string, number, { pad: number; rounded: boolean }][] = [
  ['icon-192.png', 192, { pad: 0.14, rounded: true }],
  ['icon-512.png', 512, { pad: 0.14, rounded: true }],
  ['maskable-512.png', 512, { pad: 0.24, rounded: false }],
  ['apple-touch-icon-180.png', 180, { pad: 0.16, rounded: false }],
  ['favicon-32.png', 32, { pad: 0.08, rounded: true }],
];
for (const [name, size, opts] of icons) writeFileSync(join(out, name), draw(size, opts));
console.log(`wrote ${icons.length} icons to ${out}`);
