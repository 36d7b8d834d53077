import { describe, expect, it } from "vitest";
import { LlavaReader } from "../../../src/data/llava/reader.js";
import { collect, expected, fixture } from "./helpers.js";

const img = (n: string) => fixture(`llava/images/${n}`);

describe("LLaVA conversation reader", () => {
  it("converts a JSON array to chat messages and skips the record with a missing image", async () => {
    const e = expected.llava.json;
    const r = new LlavaReader(fixture(e.file));
    const recs = await collect(r.records());
    expect(recs.map((x) => x.id)).toEqual(e.ids);
    expect(recs[0].messages).toEqual([
      { role: "user", content: [{ type: "image", image: img("cat.png") }, { type: "text", text: "What animal is this?" }] },
      { role: "assistant", content: [{ type: "text", text: "A cat." }] },
    ]);
    expect(recs[1].messages[0].content).toEqual([
      { type: "text", text: "Compare " },
      { type: "image", image: img("cat.png") },
      { type: "text", text: " and " },
      { type: "image", image: img("dog.png") },
      { type: "text", text: "." },
    ]);
    expect(recs[1].messages.map((m) => m.role)).toEqual(["user", "assistant", "user", "assistant"]);
    expect(recs[2].images).toEqual([]);
    expect(r.skips.items.map((s) => s.index)).toEqual(e.skips.map((s: { index: number }) => s.index));
    expect(r.skips.items[0].reason).toContain("missing.png");
  });

  it("reads JSONL, reporting malformed lines, missing images and bad conversations by line", async () => {
    const e = expected.llava.jsonl;
    const r = new LlavaReader(fixture(e.file));
    const recs = await collect(r.records());
    expect(recs.map((x) => x.id)).toEqual(e.ids);
    expect(r.skips.items.map((s) => s.index)).toEqual(e.skips.map((s: { index: number }) => s.index));
    e.skips.forEach((s: { reason_contains: string }, i: number) => expect(r.skips.items[i].reason).toContain(s.reason_contains));
  });

  it("prepends untagged images to the first user turn", async () => {
    const { llavaRecord } = await import("../../../src/data/llava/reader.js");
    const rec = llavaRecord({ id: 7, image: "dog.png", conversations: [{ from: "system", value: "Be brief." }, { from: "human", value: "What is it?" }, { from: "gpt", value: "A dog." }] }, fixture("llava/images"), "x", 0);
    expect(typeof rec).not.toBe("string");
    if (typeof rec === "string") return;
    expect(rec.id).toBe("7");
    expect(rec.messages[1].content).toEqual([{ type: "image", image: img("dog.png") }, { type: "text", text: "What is it?" }]);
  });
});
