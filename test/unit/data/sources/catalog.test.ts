// Catalog sources: cheap deterministic index, images decoded only in get(i), the mixture sampler's
// wrap-around, and mixture resolution errors.
import { describe, expect, it } from "vitest";
import { mixtureRecipe } from "../../../../src/data/mixture/index.js";
import { embeddedSource, MixtureSampler, resolveMixture, selectKinds } from "../../../../src/data/sources/index.js";
import { constructedEpisode } from "./scene-fixture.js";

const episodes = () => {
  const a = constructedEpisode(12, "a");
  const b = constructedEpisode(12, "b");
  return { list: [a.ep, b.ep], decoded: () => a.decoded.n + b.decoded.n };
};

describe("catalog", () => {
  it("indexes without decoding images and decodes one frame per get", async () => {
    const e = episodes();
    const s = embeddedSource("sim-spatial-vqa", { episodes: e.list });
    expect(s.size).toBeGreaterThan(4);
    expect(e.decoded()).toBe(0);
    const x = await s.get(s.size - 1);
    expect(e.decoded()).toBe(1);
    expect(x.images[0].data[0]).toBe(s.entry(s.size - 1).step); // the fixture's frames hold their step
    await expect(s.get(s.size)).rejects.toThrow(/outside 0\.\./);
  });

  it("gives the same samples for the same seed", async () => {
    const one = embeddedSource("sim-reasoning-mcq", { episodes: episodes().list, seed: 5 });
    const two = embeddedSource("sim-reasoning-mcq", { episodes: episodes().list, seed: 5 });
    expect(two.size).toBe(one.size);
    for (let i = 0; i < one.size; i++) expect((await two.get(i)).messages).toEqual((await one.get(i)).messages);
  });

  it("resolves the embedded recipe and samples it in schedule order, wrapping small sources", async () => {
    // The sources that need no FAST tokenizer (the action-reasoning source of kind "reasoning" does).
    const selected = selectKinds(mixtureRecipe("embedded"), ["general-vqa", "embodied-vqa", "reasoning", "robot-qa"]);
    const config = { ...selected, sources: selected.sources.filter((s) => s.name !== "sim-fast-action-reasoning") };
    expect(config.sources.map((s) => s.name)).toEqual(["sim-scene-caption", "sim-spatial-vqa", "sim-grounding", "sim-robot-qa", "sim-reasoning-mcq"]);
    const sources = await resolveMixture(config, { episodes: episodes().list });
    expect(sources.map((s) => s.kind)).toEqual(["general-vqa", "embodied-vqa", "embodied-vqa", "robot-qa", "reasoning"]);
    const sampler = new MixtureSampler(config, sources);
    const draws = [...sampler.schedule.draws({ epoch: 0, step: 0 }, 3000)];
    // every draw maps into its source, and a source's first `size` draws are a permutation of it
    const first = draws.filter((d) => d.source === 0).slice(0, sources[0].size).map((d) => sampler.sampleIndex(d));
    expect([...first].sort((a, b) => a - b)).toEqual(Array.from({ length: sources[0].size }, (_, i) => i));
    for (const d of draws.slice(0, 200)) expect(sampler.sampleIndex(d)).toBeLessThan(sources[d.source].size);
    const again = new MixtureSampler(config, sources);
    expect(draws.slice(0, 50).map((d) => again.sampleIndex(d))).toEqual(draws.slice(0, 50).map((d) => sampler.sampleIndex(d)));
    const got: string[] = [];
    for await (const { sample } of sampler.samples({ epoch: 0, step: 0 }, 5)) got.push(sample.source);
    expect(got).toEqual(draws.slice(0, 5).map((d) => config.sources[d.source].name));
  });

  it("explains what is missing or unsupported", async () => {
    await expect(resolveMixture(mixtureRecipe("embedded"))).rejects.toThrow(/needs simulator episodes: record them with `roboalign sim generate/);
    await expect(resolveMixture(mixtureRecipe("embedded"), { episodes: episodes().list })).rejects.toThrow(/sim-fast-action(-reasoning)? needs a FAST tokenizer/);
    const rlds = { name: "x", seed: 0, sources: [{ name: "bridge", kind: "fast-action" as const, format: "rlds" as const, path: "/data/bridge", samples: 10 }] };
    await expect(resolveMixture(rlds)).rejects.toThrow(/format rlds is not supported as a sample source yet; use "embedded".*or "llava"/);
    const unknown = { name: "x", seed: 0, sources: [{ name: "sim-nope", kind: "reasoning" as const, format: "embedded" as const, samples: 10 }] };
    await expect(resolveMixture(unknown, { episodes: episodes().list })).rejects.toThrow(/unknown embedded source "sim-nope" \(known: sim-spatial-vqa/);
  });
});
