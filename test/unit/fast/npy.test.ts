// The .npy reader on files written by numpy (test/fixtures/fast, made with np.save).
import { readFileSync } from "node:fs";
import path from "node:path";

import { describe, expect, it } from "vitest";

import { parseNpy, readActionsFile } from "../../../src/fast/index.js";
import { projectFixtureDir } from "./fixtures.js";

const file = (name: string) => path.join(projectFixtureDir, name);
const values = JSON.parse(readFileSync(file("npy_values.json"), "utf8")) as { f8: number[][][]; f4: number[][][] };

describe("parseNpy", () => {
  it("reads little-endian float64 and float32 arrays in C order", () => {
    const f8 = parseNpy(readFileSync(file("chunks_f8.npy")));
    expect(f8.shape).toEqual([3, 10, 7]);
    expect(f8.dtype).toBe("<f8");
    expect(Array.from(f8.data)).toEqual(values.f8.flat(2));
    const f4 = parseNpy(readFileSync(file("chunks_f4.npy")));
    expect(f4.dtype).toBe("<f4");
    expect(Array.from(f4.data)).toEqual(values.f4.flat(2));
  });

  it("rejects what it does not support, saying how to convert", () => {
    expect(() => parseNpy(readFileSync(file("chunks_be_f8.npy")), "be.npy")).toThrow(/be.npy: dtype >f8 is not supported.*np.save/);
    expect(() => parseNpy(readFileSync(file("chunks_i4.npy")))).toThrow(/dtype <i4 is not supported/);
    expect(() => parseNpy(readFileSync(file("chunks_fortran_f8.npy")))).toThrow(/Fortran order/);
    expect(() => parseNpy(new TextEncoder().encode("[1, 2]"))).toThrow(/not a NumPy .npy file/);
    const truncated = readFileSync(file("chunks_f8.npy")).subarray(0, 500);
    expect(() => parseNpy(truncated)).toThrow(/needs 1680/);
  });
});

describe("readActionsFile", () => {
  it("reads (N, H, D) and (H, D) arrays as chunks", () => {
    const c = readActionsFile(file("chunks_f8.npy"));
    expect(c.map((x) => [x.horizon, x.dim])).toEqual([
      [10, 7],
      [10, 7],
      [10, 7],
    ]);
    expect(Array.from(c[2].data)).toEqual(values.f8[2].flat());
    const one = readActionsFile(file("chunk_2d_f8.npy"));
    expect(one.length).toBe(1);
    expect(Array.from(one[0].data)).toEqual(values.f8[0].flat());
    expect(() => readActionsFile(file("chunks_1d_f8.npy"))).toThrow(/expected \(N, H, D\)/);
  });
});
