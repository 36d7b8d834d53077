// ref: openpi packages/openpi-client/src/openpi_client/msgpack_numpy.py (`Packer`, `unpackb`);
// reference/policy-server.md §2.3 and §8 (why msgpackr: its Map mode reads and writes bin keys).
import { C1, Packr, Unpackr } from "msgpackr";
import { NdArray, NpGeneric } from "./ndarray.js";

/**
 * JS values ⇄ openpi msgpack frames:
 *   NdArray      ⇄ {b"__ndarray__": true, b"data": bin, b"dtype": str, b"shape": [ints]}
 *   NpGeneric    ⇄ {b"__npgeneric__": true, b"data": scalar, b"dtype": str}
 *   Uint8Array   ⇄ bin;  plain object ⇄ map with str keys;  array ⇄ array;  null ⇄ nil
 * Descriptor keys must be msgpack *bin*: the Python decoder recognises nothing else.
 */
export type WireValue = null | boolean | number | bigint | string | Uint8Array | NdArray | NpGeneric | WireValue[] | { [key: string]: WireValue };

export class MsgpackNumpyError extends Error {
  override name = "MsgpackNumpyError";
}

const key = (s: string) => Buffer.from(s, "latin1");
const K_NDARRAY = key("__ndarray__");
const K_NPGENERIC = key("__npgeneric__");
const K_DATA = key("data");
const K_DTYPE = key("dtype");
const K_SHAPE = key("shape");

// variableMapSize: fixmap/map16/map32 headers as msgpack-python writes them (msgpackr's default
// reserves a map16 header for objects). Maps are built as JS Maps anyway, which always get it.
const packr = new Packr({ useRecords: false, variableMapSize: true });
// mapsAsObjects=false keeps bin keys (objects cannot hold them); int64 'auto' keeps ids exact.
// ("auto" is documented in the README but missing from the bundled typings.)
const unpackr = new Unpackr({ useRecords: false, mapsAsObjects: false, int64AsType: "auto" as "number" });

/** Encodes one value as openpi's `msgpack_numpy.Packer().pack` would. */
export function packb(value: unknown): Buffer {
  return packr.pack(toWire(value, "$"));
}

/** Decodes exactly one msgpack object (trailing bytes are an error, as upstream's `ExtraData`). */
export function unpackb(bytes: Uint8Array): WireValue {
  let raw: unknown;
  try {
    raw = unpackr.unpack(bytes);
  } catch (e) {
    throw new MsgpackNumpyError(`the frame is not one msgpack object (${(e as Error).message}); send msgpack_numpy.packb(obs)`);
  }
  return fromWire(raw, "$");
}

/**
 * Integers outside the 32-bit range go out as BigInt so msgpackr writes an int, as Python does,
 * instead of a float64. (Python writes uint64 `0xcf` for positive values ≥ 2^32 where msgpackr
 * writes int64 `0xd3`: a different byte form of the same integer; every decoder reads it alike.)
 */
function intWire(v: number): number | bigint {
  return Number.isInteger(v) && (v >= 2 ** 32 || v < -(2 ** 31)) ? BigInt(v) : v;
}

function toWire(v: unknown, path: string): unknown {
  if (v === null || v === undefined) return null;
  switch (typeof v) {
    case "boolean":
    case "string":
    case "bigint":
      return v;
    case "number":
      return intWire(v);
    case "object":
      break;
    default:
      throw new MsgpackNumpyError(`cannot encode ${typeof v} at ${path}`);
  }
  if (v instanceof NdArray) {
    return new Map<Uint8Array, unknown>([
      [K_NDARRAY, true],
      [K_DATA, v.data],
      [K_DTYPE, v.dtype],
      [K_SHAPE, v.shape.map(intWire)],
    ]);
  }
  if (v instanceof NpGeneric) {
    // Upstream sends np.float16/np.float32 values as a float64 and ints as the smallest int.
    // An integral float goes out as an int here (msgpackr has no forced-float64 form); the
    // decoder rebuilds the same np.float32 from it.
    const data = typeof v.value === "number" ? intWire(v.value) : v.value;
    return new Map<Uint8Array, unknown>([
      [K_NPGENERIC, true],
      [K_DATA, data],
      [K_DTYPE, v.dtype],
    ]);
  }
  if (v instanceof Uint8Array) return v;
  if (ArrayBuffer.isView(v)) throw new MsgpackNumpyError(`cannot encode ${v.constructor.name} at ${path}: wrap numeric data in an NdArray`);
  if (Array.isArray(v)) return v.map((x, i) => toWire(x, `${path}[${i}]`));
  if (v instanceof Map) {
    const out = new Map<unknown, unknown>();
    for (const [k, x] of v) {
      if (typeof k !== "string" && !(k instanceof Uint8Array)) throw new MsgpackNumpyError(`map key at ${path} must be a string or bytes (Python decodes with strict_map_key)`);
      out.set(k, toWire(x, `${path}.${String(k)}`));
    }
    return out;
  }
  if (Object.getPrototypeOf(v) === Object.prototype || Object.getPrototypeOf(v) === null) {
    const out = new Map<string, unknown>();
    // undefined-valued keys are left out, as JSON.stringify does.
    for (const [k, x] of Object.entries(v)) if (x !== undefined) out.set(k, toWire(x, `${path}.${k}`));
    return out;
  }
  throw new MsgpackNumpyError(`cannot encode ${(v as object).constructor?.name ?? "object"} at ${path}`);
}

function fromWire(v: unknown, path: string): WireValue {
  if (v === null || typeof v === "boolean" || typeof v === "number" || typeof v === "bigint" || typeof v === "string") return v;
  if (v === undefined) return null;
  if (v === C1) throw new MsgpackNumpyError(`byte 0xc1 at ${path} is never used in msgpack`);
  // A copy: msgpackr may hand out a view into the whole frame, which would keep it alive.
  if (v instanceof Uint8Array) return new Uint8Array(v);
  if (Array.isArray(v)) return v.map((x, i) => fromWire(x, `${path}[${i}]`));
  if (v instanceof Map) return fromMap(v, path);
  throw new MsgpackNumpyError(`unexpected ${(v as object).constructor?.name ?? typeof v} at ${path}: msgpack ext types are not part of the openpi protocol`);
}

function fromMap(m: Map<unknown, unknown>, path: string): WireValue {
  const bin = new Map<string, unknown>();
  const obj: { [key: string]: WireValue } = {};
  for (const [k, x] of m) {
    if (k instanceof Uint8Array) bin.set(Buffer.from(k).toString("latin1"), x);
    else if (typeof k === "string") {
      // defineProperty: a "__proto__" key is data, not the prototype setter.
      Object.defineProperty(obj, k, { value: fromWire(x, `${path}.${k}`), enumerable: true, writable: true, configurable: true });
    } else throw new MsgpackNumpyError(`map key ${String(k)} at ${path} is a ${typeof k}; openpi frames use str keys (strict_map_key)`);
  }
  if (bin.has("__ndarray__")) return ndarrayFrom(bin, path);
  if (bin.has("__npgeneric__")) return npgenericFrom(bin, path);
  if (bin.size > 0) throw new MsgpackNumpyError(`map at ${path} has bin keys but is neither an __ndarray__ nor an __npgeneric__ descriptor`);
  return obj;
}

function ndarrayFrom(bin: Map<string, unknown>, path: string): NdArray {
  const data = bin.get("data");
  const dtype = bin.get("dtype");
  const shape = bin.get("shape");
  if (!(data instanceof Uint8Array)) throw new MsgpackNumpyError(`ndarray at ${path}: b"data" must be bin`);
  if (typeof dtype !== "string") throw new MsgpackNumpyError(`ndarray at ${path}: b"dtype" must be a str such as "<f4"`);
  if (!Array.isArray(shape) || !shape.every((d) => typeof d === "number")) throw new MsgpackNumpyError(`ndarray at ${path}: b"shape" must be an array of ints`);
  try {
    // Copy: the bytes sit at an arbitrary offset inside the frame (§2.3 rule 19).
    return new NdArray(dtype, shape as number[], new Uint8Array(data));
  } catch (e) {
    throw new MsgpackNumpyError(`ndarray at ${path}: ${(e as Error).message}`);
  }
}

function npgenericFrom(bin: Map<string, unknown>, path: string): NpGeneric {
  const data = bin.get("data");
  const dtype = bin.get("dtype");
  if (typeof dtype !== "string") throw new MsgpackNumpyError(`npgeneric at ${path}: b"dtype" must be a str`);
  if (typeof data !== "number" && typeof data !== "bigint" && typeof data !== "boolean") throw new MsgpackNumpyError(`npgeneric at ${path}: b"data" must be a number or bool`);
  try {
    return new NpGeneric(dtype, data);
  } catch (e) {
    throw new MsgpackNumpyError(`npgeneric at ${path}: ${(e as Error).message}`);
  }
}
