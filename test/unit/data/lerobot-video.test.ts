// LeRobot v2 video features: a dataset whose camera is an mp4 (LeRobot's layout, encoded here
// losslessly with H.264 RGB) reads back through ffmpeg frame for frame; a damaged or missing video
// is counted and skipped. ffmpeg comes from PATH or the imageio-ffmpeg wheel of the test stack.
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import type { Episode } from "../../../src/data/episode.js";
import { episodeVideoPath, IMAGE_PREFIX, VIDEO_PATH, type LeRobotInfo } from "../../../src/data/lerobot/layout.js";
import { LeRobotReader } from "../../../src/data/lerobot/reader.js";
import { LeRobotWriter } from "../../../src/data/lerobot/writer.js";
import { LiberoReader } from "../../../src/data/libero/reader.js";
import { python } from "../../helpers/paths.js";
import { collect, expected, fixture } from "./helpers.js";

function ffmpegBinary(): string | null {
  const onPath = spawnSync("ffmpeg", ["-version"], { stdio: "ignore" });
  if (onPath.status === 0) return "ffmpeg";
  if (!existsSync(python)) return null;
  const r = spawnSync(python, ["-c", "import imageio_ffmpeg; print(imageio_ffmpeg.get_ffmpeg_exe())"], { encoding: "utf8" });
  return r.status === 0 ? r.stdout.trim() : null;
}

const ffmpeg = ffmpegBinary();
const CAMERA = "agentview_rgb";

describe.skipIf(!ffmpeg)(`LeRobot mp4 video features${ffmpeg ? "" : " — skipped: no ffmpeg on PATH and no imageio-ffmpeg in .venv (run `scripts/setup.sh --test`)"}`, () => {
  let source: Episode[];
  let root: string;

  beforeAll(async () => {
    if (ffmpeg !== "ffmpeg") process.env.ROBOALIGN_FFMPEG = ffmpeg!;
    source = await collect(new LiberoReader(fixture(expected.libero.file)).episodes());
    root = join(mkdtempSync(join(tmpdir(), "lerobot-video-")), "ds");
    const w = LeRobotWriter.open(root, { fps: 20 });
    for (const [i, ep] of source.entries()) await w.writeEpisode(i, ep);
    // Turn one camera into a video feature, as LeRobot datasets store cameras.
    const infoFile = join(root, "meta/info.json");
    const info = JSON.parse(readFileSync(infoFile, "utf8")) as LeRobotInfo;
    const key = `${IMAGE_PREFIX}${CAMERA}`;
    info.features[key] = { ...info.features[key], dtype: "video" };
    info.video_path = VIDEO_PATH;
    writeFileSync(infoFile, JSON.stringify(info));
    for (const [i, ep] of source.entries()) {
      const cam = ep.images[CAMERA];
      const raw = Buffer.concat(await Promise.all(Array.from({ length: ep.steps }, async (_, t) => Buffer.from((await cam.frame(t))!.data))));
      const file = episodeVideoPath(root, info, i, key)!;
      mkdirSync(dirname(file), { recursive: true });
      execFileSync(ffmpeg!, ["-v", "error", "-f", "rawvideo", "-pix_fmt", "rgb24", "-s", `${cam.width}x${cam.height}`, "-r", "20", "-i", "-", "-c:v", "libx264rgb", "-qp", "0", "-y", file], { input: raw });
    }
  });

  it("decodes every frame of the mp4 exactly (lossless encode)", async () => {
    const r = new LeRobotReader(root);
    const eps = await collect(r.episodes());
    expect(r.skips.items).toEqual([]);
    expect(eps).toHaveLength(source.length);
    for (const [i, ep] of eps.entries()) {
      expect(ep.images[CAMERA]).toMatchObject({ count: source[i].steps, height: 8, width: 8 });
      for (let t = 0; t < ep.steps; t++) {
        const got = await ep.images[CAMERA].frame(t);
        const want = await source[i].images[CAMERA].frame(t);
        expect(got, JSON.stringify(r.skips.items)).not.toBeNull();
        expect(Buffer.from(got!.data).equals(Buffer.from(want!.data)), `episode ${i} frame ${t}`).toBe(true);
      }
    }
  });

  it("counts a damaged video and skips its frames instead of failing", async () => {
    const info = JSON.parse(readFileSync(join(root, "meta/info.json"), "utf8")) as LeRobotInfo;
    writeFileSync(episodeVideoPath(root, info, 1, `${IMAGE_PREFIX}${CAMERA}`)!, "not an mp4");
    const r = new LeRobotReader(root);
    const eps = await collect(r.episodes());
    expect(await eps[1].images[CAMERA].frame(0)).toBeNull();
    expect(await eps[0].images[CAMERA].frame(0)).not.toBeNull();
    expect(r.skips.items.some((s) => /ffmpeg could not decode/.test(s.reason))).toBe(true);
  });
});
