import { describe, expect, it } from "vitest";
import { instructionFromFileName, LiberoReader } from "../../../src/data/libero/reader.js";
import { collect, expected, fixture, seqSum } from "./helpers.js";

describe("LIBERO HDF5 reader (h5py-written fixture)", () => {
  const e = expected.libero;

  it("reads the complete demos with exact sums and skips the one missing `actions`", async () => {
    const r = new LiberoReader(fixture(e.file));
    const eps = await collect(r.episodes());
    expect(eps.map((x) => x.id)).toEqual(e.episodes.map((x: { id: string }) => x.id));
    eps.forEach((ep, i) => {
      const want = e.episodes[i];
      expect(ep.instruction).toBe(e.instruction);
      expect(ep.steps).toBe(want.steps);
      expect(ep.actionDim).toBe(7);
      expect(ep.stateDim).toBe(e.state_dim);
      expect(ep.stateNames).toEqual(["ee_states", "gripper_states", "joint_states"]);
      expect(seqSum(ep.actions)).toBe(want.action_sum);
      expect(seqSum(ep.states!)).toBe(want.state_sum);
      expect(ep.success).toBe(true);
      expect(ep.images.agentview_rgb).toMatchObject({ count: want.steps, height: 8, width: 8 });
      expect(ep.images.eye_in_hand_rgb).toMatchObject({ count: want.steps, height: 8, width: 8 });
    });
    expect(r.skips.items).toHaveLength(1);
    expect(r.skips.items[0].index).toBe("demo_1");
    expect(r.skips.items[0].reason).toContain("data/demo_1/actions");
    // Frames stay readable after the reader closed the file (it reopens for the read).
    const f0 = await eps[0].images.agentview_rgb.frame(0);
    expect(f0!.data.length).toBe(8 * 8 * 3);
    expect(seqSum(f0!.data)).toBe(e.episodes[0].pixel_sum_agentview_0);
  });

  it("takes the instruction from the file name when problem_info is absent", async () => {
    const b = e.by_name;
    const r = new LiberoReader(fixture(b.file));
    const [ep] = await collect(r.episodes());
    expect(ep.instruction).toBe(b.instruction);
    expect(seqSum(ep.actions)).toBe(b.action_sum);
    expect(ep.states).toBeUndefined();
    expect(r.skips.count).toBe(0);
    expect(instructionFromFileName("KITCHEN_SCENE3_turn_on_the_stove_demo.hdf5")).toBe("turn on the stove");
  });

  it("reads every file of a directory", async () => {
    const r = new LiberoReader(fixture("libero"));
    expect((await collect(r.episodes())).length).toBe(3);
  });
});
