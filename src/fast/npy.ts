// A strict reader for NumPy `.npy` files (format versions 1.0–3.0, numpy/lib/format.py):
// little-endian float32/float64 ('<f4', '<f8'), C order. Anything else is rejected with a message
// saying how to convert it, rather than guessed at.

import { FastInputError } from "./chunk.js";

export interface NpyArray {
  shape: number[];
  /** The values as float64, C order. */
  data: Float64Array;
  dtype: "<f4" | "<f8";
}

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93NUMPY

const CONVERT = "convert it with numpy, e.g. np.save(path, np.ascontiguousarray(a, dtype='<f8'))";

export function parseNpy(buf: Uint8Array, source = ".npy file"): NpyArray {
  const bad = (why: string): never => {
    throw new FastInputError(`${source}: ${why}`);
  };
  if (buf.length < 10 || !MAGIC.every((b, i) => buf[i] === b)) return bad("not a NumPy .npy file (bad magic bytes)");
  const major = buf[6];
  let headerLen: number;
  let offset: number;
  if (major === 1) {
    headerLen = buf[8] | (buf[9] << 8);
    offset = 10;
  } else if (major === 2 || major === 3) {
    if (buf.length < 12) return bad("truncated header");
    headerLen = (buf[8] | (buf[9] << 8) | (buf[10] << 16)) + buf[11] * 0x1000000;
    offset = 12;
  } else return bad(`unsupported .npy format version ${major}.${buf[7]}`);
  if (offset + headerLen > buf.length) return bad("truncated header");
  const header = new TextDecoder(major === 3 ? "utf-8" : "latin1").decode(buf.subarray(offset, offset + headerLen));

  const descr = /['"]descr['"]\s*:\s*['"]([^'"]*)['"]/.exec(header)?.[1];
  const fortran = /['"]fortran_order['"]\s*:\s*(True|False)/.exec(header)?.[1];
  const shapeText = /['"]shape['"]\s*:\s*\(([^)]*)\)/.exec(header)?.[1];
  if (descr === undefined || fortran === undefined || shapeText === undefined) return bad(`unreadable header ${JSON.stringify(header.trim())}`);
  if (descr !== "<f8" && descr !== "<f4") {
    return bad(`dtype ${descr} is not supported; only little-endian float32 ('<f4') or float64 ('<f8') are; ${CONVERT}`);
  }
  if (fortran === "True") return bad(`the array is in Fortran order; only C order is supported; ${CONVERT}`);
  const shape = shapeText
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s.length > 0)
    .map((s) => (/^\d+$/.test(s) ? Number(s) : bad(`bad shape entry ${JSON.stringify(s)}`)));
  const count = shape.reduce((a, b) => a * b, 1);
  const itemSize = descr === "<f8" ? 8 : 4;
  const start = offset + headerLen;
  const need = count * itemSize;
  if (buf.length - start < need) return bad(`holds ${buf.length - start} data bytes, shape (${shape.join(", ")}) of ${descr} needs ${need}`);
  const view = new DataView(buf.buffer, buf.byteOffset + start, need);
  const data = new Float64Array(count);
  if (itemSize === 8) for (let i = 0; i < count; i++) data[i] = view.getFloat64(i * 8, true);
  else for (let i = 0; i < count; i++) data[i] = view.getFloat32(i * 4, true);
  return { shape, data, dtype: descr };
}
