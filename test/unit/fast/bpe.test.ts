// BPE model application (reference/fast.md P1–P5): merge order, dropped characters,
// ignore_merges, and vocab validation. Exactness against the Rust library is in interop.test.ts.
import { describe, expect, it } from "vitest";

import { BpeModel, ByteLevelBpeTokenizer } from "../../../src/fast/index.js";

function tokenizer(vocab: Record<string, number>, merges: [string, string][], ignoreMerges = false): ByteLevelBpeTokenizer {
  return new ByteLevelBpeTokenizer(new BpeModel(new Map(Object.entries(vocab)), merges, { ignoreMerges }));
}

describe("BpeModel", () => {
  it("merges by rank, leftmost first on ties", () => {
    const t = tokenizer({ a: 0, b: 1, aa: 2, ab: 3 }, [["a", "a"], ["a", "b"]]);
    expect(Array.from(t.encode("aaa"))).toEqual([2, 0]);
    expect(Array.from(t.encode("aab"))).toEqual([2, 1]); // (a, a) outranks (a, b)
    expect(Array.from(t.encode("aaab"))).toEqual([2, 3]);
  });

  it("applies merges in rank order even when the list is not in creation order", () => {
    // (ab, c) is listed first but can only apply once ab exists.
    const t = tokenizer({ a: 0, b: 1, c: 2, ab: 3, bc: 4, abc: 5 }, [["ab", "c"], ["b", "c"], ["a", "b"]]);
    expect(Array.from(t.encode("abc"))).toEqual([0, 4]); // (b, c) rank 1 beats (a, b) rank 2
  });

  it("drops characters that are not in the vocab and never merges across pre-tokens", () => {
    const t = tokenizer({ a: 0, b: 1, ab: 2 }, [["a", "b"]]);
    expect(Array.from(t.encode("axb"))).toEqual([2]); // one word; x is dropped first, so a and b meet and merge
    expect(Array.from(t.encode("a b"))).toEqual([0, 1]); // words "a" and " b"; the space (Ġ) is not in the vocab
  });

  it("maps a whole vocab word directly when ignore_merges is set", () => {
    const vocab = { a: 0, b: 1, c: 2, bc: 3, abc: 4 };
    expect(Array.from(tokenizer(vocab, [["b", "c"]]).encode("abc"))).toEqual([0, 3]);
    expect(Array.from(tokenizer(vocab, [["b", "c"]], true).encode("abc"))).toEqual([4]);
  });

  it("rejects merges with unknown tokens and ids used twice", () => {
    expect(() => tokenizer({ a: 0, b: 1 }, [["a", "b"]])).toThrow(/"ab", which is not in the vocab/);
    expect(() => tokenizer({ a: 0, b: 0 }, [])).toThrow(/maps both "a" and "b" to id 0/);
  });

  it("decodes unknown ids as nothing and invalid UTF-8 as U+FFFD", () => {
    const t = tokenizer({ "Å": 0, "¢": 1, "Å¢": 2 }, [["Å", "¢"]]);
    expect(t.decode([2, 99, 2])).toBe("ŢŢ");
    expect(t.decode([2, 0])).toBe("Ţ\ufffd");
    expect(() => t.decode([-1])).toThrow(/not an integer/);
  });
});
