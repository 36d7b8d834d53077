import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, truncateSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import type { Episode } from "../../../src/data/episode.js";
import { formatTemplate } from "../../../src/data/lerobot/layout.js";
import { LeRobotReader } from "../../../src/data/lerobot/reader.js";
import { LeRobotWriter } from "../../../src/data/lerobot/writer.js";
import { LiberoReader } from "../../../src/data/libero/reader.js";
import { collect, expected, fixture, seqSum } from "./helpers.js";

const f32sum = (a: Float64Array) => seqSum(Float32Array.from(a));

describe("LeRobot v2.1 writer → reader round trip", () => {
  let source: Episode[];
  let root: string;

  beforeAll(async () => {
    source = await collect(new LiberoReader(fixture(expected.libero.file)).episodes());
    root = join(mkdtempSync(join(tmpdir(), "lerobot-")), "ds");
    const w = LeRobotWriter.open(root, { fps: 20, robotType: "panda" });
    for (const [i, ep] of source.entries()) expect(await w.writeEpisode(i, ep)).toBe("written");
  });

  it("writes the v2.1 layout", () => {
    const info = JSON.parse(readFileSync(join(root, "meta/info.json"), "utf8"));
    expect(info).toMatchObject({ codebase_version: "v2.1", fps: 20, total_episodes: 2, total_frames: 7, total_tasks: 1, chunks_size: 1000, total_chunks: 1, splits: { train: "0:2" }, video_path: null });
    expect(info.features.action).toEqual({ dtype: "float32", shape: [7], names: null });
    expect(info.features["observation.images.agentview_rgb"]).toEqual({ dtype: "image", shape: [8, 8, 3], names: ["height", "width", "channel"] });
    expect(readFileSync(join(root, "meta/tasks.jsonl"), "utf8")).toBe('{"task_index":0,"task":"put the black bowl on the plate"}\n');
    expect(readFileSync(join(root, "meta/episodes.jsonl"), "utf8").trim().split("\n").map((l) => JSON.parse(l))).toEqual([
      { episode_index: 0, tasks: ["put the black bowl on the plate"], length: 3 },
      { episode_index: 1, tasks: ["put the black bowl on the plate"], length: 4 },
    ]);
    const stats = JSON.parse(readFileSync(join(root, "meta/episodes_stats.jsonl"), "utf8").split("\n")[1]);
    expect(stats.stats.index).toMatchObject({ min: [3], max: [6], count: [4] });
    expect(stats.stats["observation.images.agentview_rgb"].mean).toHaveLength(3);
    expect(existsSync(join(root, "data/chunk-000/episode_000001.parquet"))).toBe(true);
    expect(formatTemplate("videos/chunk-{episode_chunk:03d}/{video_key}/e_{episode_index:06d}.mp4", { episode_chunk: 2, video_key: "k", episode_index: 41 })).toBe("videos/chunk-002/k/e_000041.mp4");
  });

  it("reads back actions/states as float32-rounded values, instructions and exact pixels", async () => {
    const r = new LeRobotReader(root);
    const eps = await collect(r.episodes());
    expect(r.skips.count).toBe(0);
    expect(eps.map((e) => e.id)).toEqual(["episode_000000", "episode_000001"]);
    for (const [i, ep] of eps.entries()) {
      const src = source[i];
      expect(ep.steps).toBe(src.steps);
      expect(ep.instruction).toBe(src.instruction);
      expect(Array.from(ep.actions)).toEqual(Array.from(Float32Array.from(src.actions)));
      expect(seqSum(ep.actions)).toBe(f32sum(src.actions));
      expect(seqSum(ep.states!)).toBe(f32sum(src.states!));
      expect(ep.stateNames).toEqual(["ee_states", "gripper_states", "joint_states"]);
      for (const cam of ["agentview_rgb", "eye_in_hand_rgb"]) {
        expect(ep.images[cam]).toMatchObject({ count: src.steps, height: 8, width: 8 });
        const got = await ep.images[cam].frame(src.steps - 1);
        const want = await src.images[cam].frame(src.steps - 1);
        expect(Buffer.from(got!.data).equals(Buffer.from(want!.data))).toBe(true); // PNG is lossless
      }
    }
  });

  it("resumes: finished episodes are skipped, new ones appended", async () => {
    const w = LeRobotWriter.open(root, { fps: 20 });
    expect(w.finished).toEqual([0, 1]);
    expect(await w.writeEpisode(0, source[0])).toBe("skipped");
    expect(await w.writeEpisode(2, source[1])).toBe("written");
    const info = JSON.parse(readFileSync(join(root, "meta/info.json"), "utf8"));
    expect(info.total_episodes).toBe(3);
    expect(info.total_frames).toBe(11);
    expect(() => LeRobotWriter.open(root, { fps: 10 })).toThrow(/20 fps/);
  });

  it("has the parquet schema LeRobot expects (checked with pyarrow when available)", () => {
    const py = resolve(".venv/bin/python");
    try {
      execFileSync(py, ["-c", "import pyarrow"], { stdio: "ignore" });
    } catch {
      return; // no pyarrow here (CI): the round-trip tests above still run
    }
    const file = join(root, "data/chunk-000/episode_000000.parquet");
    const out = execFileSync(py, ["-c", "import sys,pyarrow.parquet as pq; t=pq.read_table(sys.argv[1]); print(t.schema.to_string(show_schema_metadata=False)); print(t.num_rows)", file], { encoding: "utf8" });
    expect(out).toContain("action: list<element: float>");
    expect(out).toContain("observation.state: list<element: float>");
    expect(out).toContain("observation.images.agentview_rgb: struct<bytes: binary, path: string>");
    expect(out).toContain("timestamp: float");
    for (const k of ["frame_index", "episode_index", "index", "task_index"]) expect(out).toContain(`${k}: int64`);
    expect(out.trim().split("\n").pop()).toBe("3");
  });

  it("skips a truncated episode file and a missing one, with reasons", async () => {
    const copy = join(mkdtempSync(join(tmpdir(), "lerobot-bad-")), "ds");
    const w = LeRobotWriter.open(copy, { fps: 20 });
    await w.writeEpisode(0, source[0]);
    await w.writeEpisode(1, source[1]);
    const p0 = join(copy, "data/chunk-000/episode_000000.parquet");
    truncateSync(p0, 100);
    writeFileSync(join(copy, "meta/episodes.jsonl"), readFileSync(join(copy, "meta/episodes.jsonl"), "utf8") + '{"episode_index": 5, "tasks": ["x"], "length": 2}\nnot json\n');
    const r = new LeRobotReader(copy);
    const eps = await collect(r.episodes());
    expect(eps.map((e) => e.id)).toEqual(["episode_000001"]);
    expect(r.skips.items.map((s) => s.index)).toEqual([4, 0, 5]);
    expect(r.skips.items[0].reason).toContain("malformed JSON");
    expect(r.skips.items[1].reason).toContain("unreadable parquet");
    expect(r.skips.items[2].reason).toContain("missing episode file");
  });
});
