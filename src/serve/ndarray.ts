// ref: openpi packages/openpi-client/src/openpi_client/msgpack_numpy.py (`pack_array` /
// `unpack_array`): an n-d array is raw C-order bytes + a dtype string + a shape.
import { type Dtype, DtypeError, dtypeString, isNumericKind, parseDtype } from "./dtype.js";

/**
 * A NumPy array as it travels on the wire. `data` is always little-endian (or byte-order free):
 * big-endian input is byte-swapped on construction, so everything downstream reads one layout.
 */
export class NdArray {
  readonly dtype: string;
  readonly shape: readonly number[];
  readonly data: Uint8Array;
  readonly info: Dtype;

  constructor(dtype: string, shape: readonly number[], data: Uint8Array) {
    const info = parseDtype(dtype);
    for (const d of shape) {
      if (!Number.isSafeInteger(d) || d < 0) throw new DtypeError(`ndarray shape ${JSON.stringify(shape)} must hold non-negative integers`);
    }
    const want = shape.reduce((a, b) => a * b, 1) * info.itemSize;
    // Upstream silently accepts a longer buffer; the spec asks compatible servers for the exact length.
    if (data.byteLength !== want) {
      throw new DtypeError(`ndarray ${dtype} of shape [${shape.join(", ")}] needs ${want} data bytes, got ${data.byteLength}`);
    }
    this.data = info.order === ">" ? swapBytes(data, info.kind === "U" ? 4 : info.itemSize) : data;
    this.info = info.order === ">" ? { ...info, order: "<" } : info;
    this.dtype = dtypeString(this.info);
    this.shape = [...shape];
  }

  get size(): number {
    return this.shape.reduce((a, b) => a * b, 1);
  }

  static float64(values: ArrayLike<number>, shape: readonly number[] = [values.length]): NdArray {
    return new NdArray("<f8", shape, bytesOf(Float64Array.from(values)));
  }

  static float32(values: ArrayLike<number>, shape: readonly number[] = [values.length]): NdArray {
    return new NdArray("<f4", shape, bytesOf(Float32Array.from(values)));
  }

  static uint8(values: ArrayLike<number>, shape: readonly number[] = [values.length]): NdArray {
    return new NdArray("|u1", shape, Uint8Array.from(values));
  }

  /** The elements as doubles in C order (bool → 0/1; 64-bit ints beyond 2^53 lose precision). */
  toFloat64(): Float64Array {
    const { kind, itemSize } = this.info;
    if (!isNumericKind(kind)) throw new DtypeError(`expected a numeric array, got dtype ${this.dtype}`);
    const n = this.size;
    // Typed views need an offset that is a multiple of the element size; copy when it is not.
    const aligned = this.data.byteOffset % itemSize === 0 ? this.data : this.data.slice();
    const buf = aligned.buffer;
    const off = aligned.byteOffset;
    if (kind === "f" && itemSize === 8) return new Float64Array(buf.slice(off, off + n * 8));
    if (kind === "f" && itemSize === 2) return Float64Array.from(new Uint16Array(buf, off, n), halfToNumber);
    const view = typedView(kind, itemSize, buf, off, n);
    const out = new Float64Array(n);
    for (let i = 0; i < n; i++) out[i] = Number(view[i]);
    return out;
  }
}

/** A NumPy scalar sent as `__npgeneric__` (np.bool_, NumPy ints, np.float16/np.float32). */
export class NpGeneric {
  readonly info: Dtype;
  constructor(
    readonly dtype: string,
    readonly value: number | bigint | boolean,
  ) {
    this.info = parseDtype(dtype);
    if (!isNumericKind(this.info.kind)) throw new DtypeError(`__npgeneric__ with dtype ${dtype}: only bool, int and float scalars use this form`);
  }
}

/** The bytes of a typed array, as a view (no copy). */
export function bytesOf(a: ArrayBufferView): Uint8Array {
  return new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
}

type NumberView = ArrayLike<number | bigint>;
function typedView(kind: Dtype["kind"], itemSize: number, buf: ArrayBufferLike, off: number, n: number): NumberView {
  switch (`${kind}${itemSize}`) {
    case "b1":
    case "u1":
      return new Uint8Array(buf, off, n);
    case "i1":
      return new Int8Array(buf, off, n);
    case "i2":
      return new Int16Array(buf, off, n);
    case "u2":
      return new Uint16Array(buf, off, n);
    case "i4":
      return new Int32Array(buf, off, n);
    case "u4":
      return new Uint32Array(buf, off, n);
    case "i8":
      return new BigInt64Array(buf, off, n);
    case "u8":
      return new BigUint64Array(buf, off, n);
    case "f4":
      return new Float32Array(buf, off, n);
    default:
      throw new DtypeError(`no numeric view for kind ${kind} size ${itemSize}`);
  }
}

function swapBytes(src: Uint8Array, unit: number): Uint8Array {
  const out = new Uint8Array(src.byteLength);
  for (let i = 0; i < src.byteLength; i += unit) {
    for (let j = 0; j < unit; j++) out[i + j] = src[i + unit - 1 - j];
  }
  return out;
}

/** IEEE 754 binary16 → number (NumPy float16). */
function halfToNumber(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exp = (h >> 10) & 0x1f;
  const frac = h & 0x3ff;
  if (exp === 0) return sign * frac * 2 ** -24;
  if (exp === 0x1f) return frac ? NaN : sign * Infinity;
  return sign * (1 + frac / 1024) * 2 ** (exp - 15);
}
