// The openpi msgpack_numpy wire format: byte-exact against Python's encoder, and strict decoding.
import { describe, expect, it } from "vitest";
import { MsgpackNumpyError, packb, unpackb } from "../../../src/serve/msgpack-numpy.js";
import { NdArray, NpGeneric } from "../../../src/serve/ndarray.js";
import { rebuild, wireFixtures } from "./wire-fixtures.js";

const hex = (b: Uint8Array) => Buffer.from(b).toString("hex");
const bytes = (h: string) => new Uint8Array(Buffer.from(h.replace(/\s+/g, ""), "hex"));

describe("msgpack_numpy: bytes produced by openpi's Python encoder", () => {
  it.each(wireFixtures.cases.map((c) => [c.name, c] as const))("%s encodes to the same bytes and decodes back", (_name, c) => {
    const value = rebuild(c.value);
    expect(hex(packb(value))).toBe(c.hex);
    expect(unpackb(bytes(c.hex))).toEqual(value);
  });

  it.each(wireFixtures.decode_only.map((c) => [c.name, c] as const))("%s (big-endian) decodes to the little-endian array", (_name, c) => {
    const got = unpackb(bytes(c.hex)) as NdArray;
    expect(got).toEqual(rebuild(c.value));
    expect(got.dtype.startsWith("<")).toBe(true);
  });

  it("writes the spec's test vector for a float32 [1, 2] array with bin keys", () => {
    const want = "84 c4 0b 5f5f6e6461727261795f5f c3 c4 04 64617461 c4 08 0000803f000080bf c4 05 6474797065 a3 3c6634 c4 05 7368617065 92 01 02";
    expect(hex(packb(NdArray.float32([1, -1], [1, 2])))).toBe(want.replace(/\s+/g, ""));
  });

  it("writes the metadata frame of an empty map as the single byte 0x80", () => {
    expect(hex(packb({}))).toBe("80");
  });
});

describe("msgpack_numpy: round trips", () => {
  it("keeps every dtype's bytes, shape and values", () => {
    const values = [
      NdArray.float64([0.1, -2, 3e300, Number.NaN], [2, 2]),
      NdArray.float32([1.5, -0.25, 7]),
      NdArray.uint8([0, 1, 255, 128, 7, 9], [1, 2, 3]),
      new NdArray("<i8", [2], new Uint8Array(new BigInt64Array([-5n, 1n << 40n]).buffer)),
      new NdArray("|b1", [3], Uint8Array.from([1, 0, 1])),
      new NdArray("<f4", [0, 7], new Uint8Array(0)),
      new NdArray("<f8", [], new Uint8Array(new Float64Array([2.5]).buffer)),
    ];
    for (const v of values) {
      const back = unpackb(packb({ v, nested: [v, { deeper: v }] })) as { v: NdArray; nested: [NdArray, { deeper: NdArray }] };
      expect(back.v).toEqual(v);
      expect(back.nested[1].deeper).toEqual(v);
      if (v.info.kind !== "b" && v.size > 0) expect(Array.from(back.v.toFloat64())).toEqual(Array.from(v.toFloat64()));
    }
  });

  it("converts numeric dtypes to float64, including float16 and int64", () => {
    expect(Array.from(new NdArray("<f2", [2], Uint8Array.from([0x00, 0x38, 0x00, 0xc0])).toFloat64())).toEqual([0.5, -2]);
    expect(Array.from(new NdArray("<i8", [1], new Uint8Array(new BigInt64Array([-(1n << 40n)]).buffer)).toFloat64())).toEqual([-(2 ** 40)]);
    expect(Array.from(new NdArray("|b1", [2], Uint8Array.from([1, 0])).toFloat64())).toEqual([1, 0]);
  });

  it("reads arrays whose data sits at an odd offset inside the frame", () => {
    // A 3-byte string before the array puts its data at an unaligned offset.
    const frame = packb({ a: "xyz", s: NdArray.float64([1.25, -3.5]) });
    const back = unpackb(frame) as { s: NdArray };
    expect(Array.from(back.s.toFloat64())).toEqual([1.25, -3.5]);
  });

  it("round-trips an integral float32 scalar by value (sent as an int, rebuilt as np.float32)", () => {
    const back = unpackb(packb(new NpGeneric("<f4", 2))) as NpGeneric;
    expect(back.dtype).toBe("<f4");
    expect(back.value).toBe(2);
  });

  it("keeps large integers as integers and a __proto__ key as plain data", () => {
    const frame = packb({ big: 2 ** 40, neg: -(2 ** 40), __proto__x: 1 });
    expect(unpackb(frame)).toEqual({ big: 2 ** 40, neg: -(2 ** 40), __proto__x: 1 });
    const proto = unpackb(bytes("81 a9 5f5f70726f746f5f5f 01")) as Record<string, unknown>;
    expect(Object.getPrototypeOf(proto)).toBe(Object.prototype);
    expect(Object.keys(proto)).toEqual(["__proto__"]);
  });
});

describe("msgpack_numpy: malformed input is refused with a clear error", () => {
  const cases: [string, string, RegExp][] = [
    ["not msgpack", "c1", /0xc1/],
    ["truncated", "92 01", /not one msgpack object/],
    ["trailing bytes", "01 02", /not one msgpack object/],
    ["an ext type", "d4 05 00", /not one msgpack object/],
    ["an integer map key", "81 01 02", /strict_map_key/],
    ["a short data buffer", "84 c40b5f5f6e6461727261795f5f c3 c40464617461 c404 00000000 c4056474797065 a33c6638 c4057368617065 91 01", /needs 8 data bytes, got 4/],
    ["a long data buffer", "84 c40b5f5f6e6461727261795f5f c3 c40464617461 c402 0000 c4056474797065 a37c7531 c4057368617065 91 01", /needs 1 data bytes, got 2/],
    ["an object dtype", "84 c40b5f5f6e6461727261795f5f c3 c40464617461 c408 0000000000000000 c4056474797065 a37c4f38 c4057368617065 91 01", /Unsupported dtype: \|O8/],
    ["a complex dtype", "84 c40b5f5f6e6461727261795f5f c3 c40464617461 c408 0000000000000000 c4056474797065 a33c6338 c4057368617065 91 01", /Unsupported dtype/],
    ["a str-keyed shape-less descriptor", "84 c40b5f5f6e6461727261795f5f c3 c40464617461 c400 c4056474797065 a33c6638 c4057368617065 c0", /b"shape" must be an array/],
    ["bin keys without a marker", "81 c401 61 01", /neither an __ndarray__ nor an __npgeneric__/],
  ];
  it.each(cases)("%s", (_name, h, message) => {
    expect(() => unpackb(bytes(h))).toThrow(MsgpackNumpyError);
    expect(() => unpackb(bytes(h))).toThrow(message);
  });

  it("refuses to encode typed arrays that are not wrapped, and O/V/c dtypes", () => {
    expect(() => packb({ a: new Float32Array(2) })).toThrow(/wrap numeric data in an NdArray/);
    expect(() => new NdArray("|V8", [1], new Uint8Array(8))).toThrow(/Unsupported dtype/);
    expect(() => packb(new Date())).toThrow(/cannot encode Date/);
  });
});
