import { test, expect } from "vitest";
import { readFileSync } from "node:fs";
import { fitFast, serializeTokenizerJson, chunkFromRows } from "/work/main/src/fast/index.js";
test("quick", () => {
  const a = JSON.parse(readFileSync("/work/shared/fixtures/fast/actions.json", "utf8"));
  const chunks = a.train.map((r: number[][]) => chunkFromRows(r));
  const t0 = Date.now();
  const { processor, report } = fitFast(chunks, { vocabSize: 1024 });
  console.log(Date.now() - t0, report);
  const text = serializeTokenizerJson(processor.tokenizer.model);
  const ref = readFileSync("/work/shared/fixtures/fast/tokenizer_v1024.json", "utf8");
  console.log(text === ref, text.length, ref.length);
  const h = JSON.parse(readFileSync("/work/shared/fixtures/fast/heldout_tokens_v1024.json", "utf8"));
  let ok = 0;
  a.heldout.forEach((r: number[][], i: number) => { const ids = Array.from(processor.encode(chunkFromRows(r))); if (JSON.stringify(ids) === JSON.stringify(h.ids[i])) ok++; });
  console.log("heldout ok", ok);
});
