// Embedded simulator: scene compile, IK direction, predicates, expert per family, images, seeding, memory (shared/reference/simulation.md).
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { block, compileXml, heapBytes, holds, In, loadMujoco, On, plate, RobotEnv, rollout, sceneXml, suite, suites, basket, bowl, chain, rolloutChain } from "../../../src/sim/index.js";

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
  it("runs a CALVIN-style chain of 5 instructions", () => {
    const c = chain(0);
    expect(c.subtasks.length).toBe(5);
    const r = rolloutChain(env, c, undefined, { recordImages: false });
    expect(r.completed).toBeGreaterThanOrEqual(1);
  });
  it("completes chains whose subtasks start among blocks in a basket", () => {
    // chain 2 takes a block back out of a basket holding two; chain 22 starts a subtask with the hand inside the basket
    expect(chain(2).subtasks.map((s) => s.language).slice(0, 3)).toEqual(["put the blue block in the basket", "put the red block in the basket", "put the blue block in the bowl"]);
    for (const seed of [2, 22]) expect(rolloutChain(env, chain(seed), undefined, { recordImages: false }).completed).toBe(5);
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
