import { encodePng } from '../../scripts/lib/encode-png.ts';

/**
 * Draws Palisade's icon — a row of pointed stakes on a blue rounded square — as PNG bytes,
 * so the repository holds no binary assets and every size is sharp.
 */
export function iconPng(size: number): Buffer {
  const px = new Uint8Array(size * size * 4);
  const s = size / 128;
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      // 4×4 supersampling for smooth edges at 16 px.
      let bg = 0;
      let fg = 0;
      for (let sy = 0; sy < 4; sy++) {
        for (let sx = 0; sx < 4; sx++) {
          const u = (x + (sx + 0.5) / 4) / s;
          const v = (y + (sy + 0.5) / 4) / s;
          if (inRoundedSquare(u, v)) {
            bg++;
            if (inStake(u, v)) fg++;
          }
        }
      }
      const i = (y * size + x) * 4;
      const a = bg / 16;
      const f = bg ? fg / bg : 0;
      px[i] = Math.round(29 * (1 - f) + 255 * f);
      px[i + 1] = Math.round(78 * (1 - f) + 255 * f);
      px[i + 2] = Math.round(216 * (1 - f) + 255 * f);
      px[i + 3] = Math.round(a * 255);
    }
  }
  return encodePng(size, size, px);
}

function inRoundedSquare(u: number, v: number): boolean {
  const r = 24;
  const cx = Math.min(Math.max(u, 4 + r), 124 - r);
  const cy = Math.min(Math.max(v, 4 + r), 124 - r);
  return (u - cx) ** 2 + (v - cy) ** 2 <= r * r;
}

/** Four stakes with pointed tops, and a rail across them. */
function inStake(u: number, v: number): boolean {
  if (v >= 70 && v <= 80 && u >= 22 && u <= 106) return true;
  for (const left of [26, 50, 74, 98]) {
    const w = 16;
    const mid = left + w / 2 - 4;
    if (u < left - 4 || u > left - 4 + w || v > 104) continue;
    const tip = 26 + Math.abs(u - mid) * 1.1;
    if (v >= tip) return true;
  }
  return false;
}
