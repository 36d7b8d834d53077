// Embedded simulator: scene compile, IK direction, predicates, expert per family, images, seeding, memory (shared/reference/simulation.md).
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { block, compileXml, heapBytes, holds, In, loadMujoco, On, Open, plate, RobotEnv, rollout, sceneXml, suite, suites, basket, bowl, chain, rolloutChain } from "../../../src/sim/index.js";

let env: RobotEnv;
beforeAll(async () => {
  env = await RobotEnv.create({ imageSize: 64 });
});
afterAll(() => env.dispose());

describe("scene", () => {
  it("compiles the full object library", async () => {
    const mj = await loadMujoco();
    const m = compileXml(mj, sceneXml([block("red"), block("blue"), plate(), bowl(), basket()]));
    expect(m.nu).toBe(9);
    expect(m.nq).toBe(9 + 5 * 7);
    m.delete();
  });
  it("reports bad MJCF with a helpful error", async () => {
    const mj = await loadMujoco();
    expect(() => compileXml(mj, "<mujoco><worldbody><geom type='nope'/></worldbody></mujoco>")).toThrow(/could not compile/);
  });
});

describe("RobotEnv", () => {
  const task = { objects: [block("red"), plate()] };
  it("moves the end effector in the commanded direction", () => {
    env.reset(3, task);
    for (const axis of [0, 1, 2]) {
      for (const sign of [1, -1]) {
        const p0 = env.eePos();
        const a = new Float64Array(7);
        a[axis] = sign;
        a[6] = -1;
        for (let i = 0; i < 3; i++) env.step(a);
        const d = env.eePos().map((v, k) => v - p0[k]);
        expect(sign * d[axis]).toBeGreaterThan(0.04);
        for (const k of [0, 1, 2]) if (k !== axis) expect(Math.abs(d[k])).toBeLessThan(0.5 * Math.abs(d[axis]));
      }
    }
  });
  it("renders images of the right size that are not constant", () => {
    const o = env.reset(1, task);
    expect(o.width).toBe(64);
    for (const img of [o.frontRgb, o.wristRgb]) {
      expect(img.length).toBe(64 * 64 * 3);
      expect(new Set(img).size).toBeGreaterThan(10);
    }
    expect(o.eePos.length).toBe(3);
    expect(o.eeQuat.length).toBe(4);
    expect(o.joints.length).toBe(7);
  });
  it("reproduces a seeded reset and its trajectory exactly", () => {
    const run = () => {
      env.reset(42, task);
      const a = Float64Array.from([0.3, -0.2, -0.4, 0, 0, 0.2, -1]);
      for (let i = 0; i < 5; i++) env.step(a);
      return env.state();
    };
    const s1 = run();
    const s2 = run();
    expect(Array.from(s2)).toEqual(Array.from(s1));
    env.reset(43, task);
    expect(env.bodyPos("red_block")).not.toEqual((env.reset(42, task), env.bodyPos("red_block")));
  });
});

describe("predicates", () => {
  it("are false at reset and On/In follow the object positions", () => {
    const t = { objects: [block("red"), plate(), basket()] };
    env.reset(5, t);
    expect(holds(env, [On("red_block", "plate")])).toBe(false);
    expect(holds(env, [In("red_block", "basket")])).toBe(false);
    // teleport the block into the basket and let it settle
    const m = env.model, d = env.data;
    const b = env.bodyPos("basket");
    const adr = m.jnt_qposadr[env.mj.mj_name2id(m, 3 as never, "red_block_free")];
    (d.qpos as Float64Array).set([b[0], b[1], 0.03, 1, 0, 0, 0], adr);
    (d.qvel as Float64Array).fill(0);
    for (let i = 0; i < 5; i++) env.step(Float64Array.from([0, 0, 0, 0, 0, 0, -1]));
    expect(holds(env, [In("red_block", "basket")])).toBe(true);
    expect(holds(env, [On("red_block", "plate")])).toBe(false);
  });
});

describe("tasks and expert", () => {
  it("defines 4 suites × 10 tasks with 50 distinct seeds each", () => {
    for (const tasks of Object.values(suites())) {
      expect(tasks.length).toBe(10);
      for (const t of tasks) {
        expect(t.initSeeds.length).toBe(50);
        expect(new Set(t.initSeeds).size).toBe(50);
        expect(t.language.length).toBeGreaterThan(5);
      }
    }
  });
  for (const name of ["spatial", "object", "goal", "long"] as const) {
    it(`expert solves a ${name} task within its step limit, with recorded images`, () => {
      const t = suite(name)[name === "long" ? 3 : 1];
      const ep = rollout(env, t, t.initSeeds[0]);
      expect(ep.success).toBe(true);
      expect(ep.steps).toBeLessThanOrEqual(t.maxSteps);
      expect(ep.frontRgb.length).toBe(ep.steps * 64 * 64 * 3);
      expect(ep.actions.length).toBe(ep.steps * 7);
      expect(ep.states.length).toBe(ep.steps * ep.stateDim);
    });
  }
  it("opens and closes the cabinet's drawer, and Open/Close read its slide joint", () => {
    const [open, close] = [suite("goal")[4], suite("goal")[8]];
    expect([open.language, close.language]).toEqual(["open the drawer of the cabinet", "close the drawer of the cabinet"]);
    env.reset(close.initSeeds[0], close);
    expect(env.jointPos("cabinet_drawer_slide")).toBeCloseTo(0.14, 2);
    expect([holds(env, [Open("cabinet")]), holds(env, close.goal)]).toEqual([true, false]);
    const closed = rollout(env, close, close.initSeeds[0], undefined, { recordImages: false });
    expect(closed.success).toBe(true);
    expect(env.jointPos("cabinet_drawer_slide")).toBeLessThanOrEqual(0.01);
    const opened = rollout(env, open, open.initSeeds[1], undefined, { recordImages: false });
    expect(opened.success).toBe(true);
    expect(env.jointPos("cabinet_drawer_slide")).toBeGreaterThanOrEqual(0.1);
    // the recorded plan names the op, for the reasoning questions
    expect(opened.scene.plan).toEqual([{ op: "open", obj: "cabinet" }]);
  });
  it("runs a CALVIN-style chain of 5 instructions", () => {
    const c = chain(0);
    expect(c.subtasks.length).toBe(5);
    const r = rolloutChain(env, c, undefined, { recordImages: false });
    expect(r.completed).toBeGreaterThanOrEqual(1);
  });
  it("completes chains that work the drawer and take blocks back out of the basket", () => {
    // chain 9 works the drawer right after releasing a block; 12 grasps a block beside the cabinet;
    // 16 takes a block back out of the basket after closing the drawer
    const languages = (seed: number) => chain(seed).subtasks.map((s) => s.language);
    expect(languages(16)).toEqual(["open the drawer", "put the green block in the basket", "close the drawer", "put the blue block in the bowl", "place the green block on the plate"]);
    expect(languages(9).slice(0, 2)).toEqual(["place the blue block on the plate", "open the drawer"]);
    for (const seed of [9, 12, 16]) expect(rolloutChain(env, chain(seed), undefined, { recordImages: false }).completed, `chain ${seed}`).toBe(5);
  });
});

describe("memory", () => {
  it("does not grow the WASM heap across 50 resets, and dispose frees the model", async () => {
    const mj = await loadMujoco();
    const e = await RobotEnv.create({ imageSize: 64 });
    const t = suite("goal")[0];
    e.reset(0, t);
    e.step(new Float64Array(7));
    e.observe();
    const before = heapBytes(mj);
    for (let i = 0; i < 50; i++) {
      e.reset(i, i % 2 ? t : suite("long")[3]); // alternate scenes: recompiles free the old model
      e.step(new Float64Array(7));
      e.observe();
      if (i % 2) holds(e, t.goal);
    }
    expect(heapBytes(mj)).toBe(before);
    e.dispose();
    // after dispose, a new env reuses the freed memory instead of growing the heap
    const e2 = await RobotEnv.create({ imageSize: 64 });
    e2.reset(0, t);
    e2.observe();
    expect(heapBytes(mj)).toBe(before);
    e2.dispose();
    expect(() => e2.observe()).toThrow(/disposed/);
  });
});
