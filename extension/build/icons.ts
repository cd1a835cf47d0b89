import { deflateSync } from 'node:zlib';

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

function encodePng(width: number, height: number, rgba: Uint8Array): Buffer {
  const raw = Buffer.alloc((width * 4 + 1) * height);
  for (let y = 0; y < height; y++) {
    raw[y * (width * 4 + 1)] = 0; // filter: none
    Buffer.from(rgba.buffer, y * width * 4, width * 4).copy(raw, y * (width * 4 + 1) + 1);
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, 6, 0, 0, 0], 8); // 8-bit RGBA
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

function chunk(type: string, data: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(buf: Buffer): number {
  let c = 0xffffffff;
  for (const b of buf) c = CRC_TABLE[(c ^ b) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
