// ref: openpi packages/openpi-client/src/openpi_client/msgpack_numpy.py (NumPy `dtype.str` on the
// wire, and the kinds it refuses); reference/policy-server.md §2.3 rules 14, 17, 18.

/** A parsed NumPy `dtype.str`, e.g. `"<f4"` → order `<`, kind `f`, itemSize 4. */
export interface Dtype {
  /** `<` little-endian, `>` big-endian, `|` not applicable (one-byte and byte-string types). */
  order: "<" | ">" | "|";
  /** NumPy kind character: b bool, i int, u uint, f float, U unicode (UTF-32), S bytes. */
  kind: "b" | "i" | "u" | "f" | "U" | "S";
  /** Bytes per element (for `U`, four per character). */
  itemSize: number;
}

export class DtypeError extends Error {
  override name = "DtypeError";
}

const NUMERIC_SIZES: Record<string, readonly number[]> = { b: [1], i: [1, 2, 4, 8], u: [1, 2, 4, 8], f: [2, 4, 8] };

/**
 * Parses a NumPy dtype string. Object, void and complex kinds are refused as upstream's encoder
 * refuses them; datetimes never reach the wire (the encoder cannot write them).
 */
export function parseDtype(str: string): Dtype {
  const m = /^([<>|=]?)([a-zA-Z])(\d+)$/.exec(str);
  if (!m) throw new DtypeError(`Unsupported dtype: ${JSON.stringify(str)} is not a NumPy dtype string such as "<f4" or "|u1"`);
  const [, orderChar, kind, countText] = m;
  if (kind === "O" || kind === "V" || kind === "c") {
    throw new DtypeError(`Unsupported dtype: ${str} (object, void and complex arrays are not part of the openpi protocol)`);
  }
  const count = Number(countText);
  let itemSize: number;
  if (kind === "U") itemSize = 4 * count;
  else if (kind === "S") itemSize = count;
  else if (kind in NUMERIC_SIZES && NUMERIC_SIZES[kind].includes(count)) itemSize = count;
  else throw new DtypeError(`Unsupported dtype: ${str} (supported: bool |b1, ints/uints of 1-8 bytes, floats <f2/<f4/<f8, <U and |S strings)`);
  // '=' (native) is never written by NumPy's dtype.str; every supported host is little-endian.
  const order = itemSize === 1 || kind === "S" ? "|" : orderChar === ">" ? ">" : "<";
  return { order, kind: kind as Dtype["kind"], itemSize };
}

/** The canonical string NumPy would write for this dtype (what goes out on the wire). */
export function dtypeString(d: Dtype): string {
  const count = d.kind === "U" ? d.itemSize / 4 : d.itemSize;
  return `${d.order}${d.kind}${count}`;
}

/** Whether the dtype holds numbers (bool counts: NumPy converts it to 0/1). */
export function isNumericKind(kind: Dtype["kind"]): boolean {
  return kind === "b" || kind === "i" || kind === "u" || kind === "f";
}
