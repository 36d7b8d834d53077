// LIBERO-like task suites as data (spatial/object/goal/long, 10 tasks × 50 seeded initial states) and CALVIN-style chains; follows shared/reference/simulation.md §4 and §7.
import type { PlanOp } from "./expert.js";
import { Close, drawerJoint, In, Lifted, On, Open, type Predicate } from "./predicates.js";
import { basket, block, bowl, cabinet, COLORS, GEOM, type ObjectSpec, plate, type Region } from "./scene.js";
import { rng } from "../util/random.js";

export type SuiteName = "spatial" | "object" | "goal" | "long";

export interface Task {
  suite: SuiteName;
  index: number;
  language: string;
  objects: ObjectSpec[];
  regions?: Record<string, Region>;
  /** Articulations that do not start at 0 (a drawer that starts open), by joint name. */
  joints?: Record<string, number>;
  goal: Predicate[];
  maxSteps: number;
  /** 50 fixed initial-state seeds (LIBERO's init-state list); the layout is `placeObjects(objects, seed, regions)`. */
  initSeeds: number[];
  /** The scripted expert's plan (privileged; not shown to policies). */
  plan: PlanOp[];
}

/** OpenVLA-OFT step limits per LIBERO suite (§4.1); the expert needs ~50 steps per pick-place here. */
export const MAX_STEPS: Record<SuiteName, number> = { spatial: 220, object: 280, goal: 300, long: 520 };
export const INIT_STATES = 50;

/** Deterministic 32-bit hash (FNV-1a) so seeds depend only on suite, task index and trial. */
function hash(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193) >>> 0;
  return h >>> 0;
}

function seedsFor(key: string): number[] {
  return Array.from({ length: INIT_STATES }, (_, i) => hash(`${key}#${i}`));
}

const place = (obj: string, target: string): PlanOp => ({ op: "place", obj, target });
const L = (y0: number, y1: number, x0 = -0.14, x1 = 0.16): Region => ({ x: [x0, x1], y: [y0, y1] });

function task(suite: SuiteName, index: number, t: Omit<Task, "suite" | "index" | "maxSteps" | "initSeeds">): Task {
  return { suite, index, maxSteps: MAX_STEPS[suite], initSeeds: seedsFor(`${suite}/${index}`), ...t };
}

/** Spatial: two identical black blocks and a plate; the instruction picks the target by its relation. */
function spatialSuite(): Task[] {
  const objs = () => [block("black", "block_a"), block("black", "block_b"), plate()];
  const layouts: { phrase: string; a: Region; b: Region; p: Region }[] = [
    { phrase: "on the left", a: L(-0.26, -0.15), b: L(0.15, 0.26), p: L(-0.06, 0.06) },
    { phrase: "on the right", a: L(0.15, 0.26), b: L(-0.26, -0.15), p: L(-0.06, 0.06) },
    { phrase: "closest to the robot", a: L(-0.1, 0.1, -0.14, -0.09), b: L(-0.1, 0.1, 0.11, 0.16), p: L(0.12, 0.26) },
    { phrase: "farthest from the robot", a: L(-0.1, 0.1, 0.11, 0.16), b: L(-0.1, 0.1, -0.14, -0.09), p: L(-0.26, -0.12) },
    { phrase: "next to the plate", a: L(-0.07, 0.0), b: L(0.18, 0.26), p: L(-0.22, -0.15) },
    { phrase: "far from the plate", a: L(0.18, 0.26), b: L(-0.1, -0.03), p: L(-0.26, -0.18) },
    { phrase: "in the front left", a: L(-0.26, -0.12, 0.06, 0.16), b: L(0.12, 0.26, -0.14, -0.04), p: L(-0.05, 0.05) },
    { phrase: "in the back right", a: L(0.12, 0.26, -0.14, -0.04), b: L(-0.26, -0.12, 0.06, 0.16), p: L(-0.05, 0.05) },
    { phrase: "in the middle", a: L(-0.04, 0.04), b: L(0.17, 0.26), p: L(-0.26, -0.16) },
    { phrase: "at the edge of the table", a: L(-0.26, -0.2), b: L(-0.05, 0.05), p: L(0.14, 0.26) },
  ];
  return layouts.map((l, i) =>
    task("spatial", i, {
      language: `pick up the black block ${l.phrase} and place it on the plate`,
      objects: objs(),
      regions: { block_a: l.a, block_b: l.b, plate: l.p },
      goal: [On("block_a", "plate")],
      plan: [place("block_a", "plate")],
    }),
  );
}

/** Object: the same kind of layout with five coloured blocks and a basket; 10 different targets. */
function objectSuite(): Task[] {
  const sceneA = ["red", "green", "blue", "yellow", "purple"];
  const sceneB = ["orange", "black", "white", "pink", "cyan"];
  const out: Task[] = [];
  [...sceneA, ...sceneB].forEach((c, i) => {
    const colors = i < 5 ? sceneA : sceneB;
    out.push(
      task("object", i, {
        language: `pick up the ${c} block and place it in the basket`,
        objects: [basket(), ...colors.map((k) => block(k))],
        regions: { basket: L(-0.2, 0.2, 0.02, 0.1) },
        goal: [In(`${c}_block`, "basket")],
        plan: [place(`${c}_block`, "basket")],
      }),
    );
  });
  return out;
}

/**
 * Goal: one scene (a cabinet with a drawer on the left, three blocks, plate, bowl, basket), ten different goals.
 * The regions keep everything clear of the drawer's path (it comes out 14 cm toward the robot) and of the
 * hand that works its handle; on the left the cabinet hides only that path from the front camera.
 */
function goalScene(): ObjectSpec[] {
  return [cabinet(), basket(), plate(), bowl(), block("red"), block("blue"), block("green")];
}
const GOAL_REGIONS: Record<string, Region> = {
  cabinet: L(-0.33, -0.3, 0.12, 0.15),
  basket: L(0.2, 0.26, -0.05, 0.1),
  plate: L(-0.12, -0.1, 0.0, 0.16),
  bowl: L(-0.05, 0.05, -0.14, -0.06),
  red_block: L(-0.17, -0.1),
  blue_block: L(0.1, 0.26),
  green_block: L(-0.17, 0.26, -0.14, -0.02),
};
const DRAWER_OUT = { [drawerJoint("cabinet")]: GEOM.drawerTravel };
const openDrawer: PlanOp = { op: "open", obj: "cabinet" };
const closeDrawer: PlanOp = { op: "close", obj: "cabinet" };

function goalSuite(): Task[] {
  const g: [string, Predicate[], PlanOp[], Record<string, number>?][] = [
    ["put the red block on the plate", [On("red_block", "plate")], [place("red_block", "plate")]],
    ["put the blue block in the bowl", [In("blue_block", "bowl")], [place("blue_block", "bowl")]],
    ["put the green block in the basket", [In("green_block", "basket")], [place("green_block", "basket")]],
    ["put the red block in the bowl", [In("red_block", "bowl")], [place("red_block", "bowl")]],
    ["open the drawer of the cabinet", [Open("cabinet")], [openDrawer]],
    ["put the red block in the basket", [In("red_block", "basket")], [place("red_block", "basket")]],
    ["pick up the green block", [Lifted("green_block")], [{ op: "lift", obj: "green_block" }]],
    ["stack the red block on the blue block", [On("red_block", "blue_block")], [place("red_block", "blue_block")]],
    ["close the drawer of the cabinet", [Close("cabinet")], [closeDrawer], DRAWER_OUT],
    ["stack the blue block on the green block", [On("blue_block", "green_block")], [place("blue_block", "green_block")]],
  ];
  return g.map(([language, goal, plan, joints], i) => task("goal", i, { language, objects: goalScene(), regions: GOAL_REGIONS, joints, goal, plan }));
}

/** Long: two-stage conjunctions (LIBERO-10 style). */
function longSuite(): Task[] {
  const twoPlates = () => [plate("left_plate"), plate("right_plate"), block("red"), block("blue"), block("green")];
  const plates = { left_plate: L(-0.26, -0.16), right_plate: L(0.16, 0.26) };
  const g: [string, ObjectSpec[], Record<string, Region>, Predicate[], PlanOp[]][] = [
    ["put both the red block and the blue block in the basket", goalScene(), GOAL_REGIONS, [In("red_block", "basket"), In("blue_block", "basket")], [place("red_block", "basket"), place("blue_block", "basket")]],
    ["put the red block on the plate and the blue block in the bowl", goalScene(), GOAL_REGIONS, [On("red_block", "plate"), In("blue_block", "bowl")], [place("red_block", "plate"), place("blue_block", "bowl")]],
    ["put the green block in the basket and the red block in the bowl", goalScene(), GOAL_REGIONS, [In("green_block", "basket"), In("red_block", "bowl")], [place("green_block", "basket"), place("red_block", "bowl")]],
    ["put the red block on the left plate and the blue block on the right plate", twoPlates(), plates, [On("red_block", "left_plate"), On("blue_block", "right_plate")], [place("red_block", "left_plate"), place("blue_block", "right_plate")]],
    ["put the green block on the left plate and the red block on the right plate", twoPlates(), plates, [On("green_block", "left_plate"), On("red_block", "right_plate")], [place("green_block", "left_plate"), place("red_block", "right_plate")]],
    ["stack the red block on the blue block and put the green block on the plate", goalScene(), GOAL_REGIONS, [On("red_block", "blue_block"), On("green_block", "plate")], [place("red_block", "blue_block"), place("green_block", "plate")]],
    ["open the drawer of the cabinet and put the green block on the plate", goalScene(), GOAL_REGIONS, [Open("cabinet"), On("green_block", "plate")], [openDrawer, place("green_block", "plate")]],
    ["put the blue block in the bowl and the green block on the plate", goalScene(), GOAL_REGIONS, [In("blue_block", "bowl"), On("green_block", "plate")], [place("blue_block", "bowl"), place("green_block", "plate")]],
    ["put the blue block on the left plate and the green block on the right plate", twoPlates(), plates, [On("blue_block", "left_plate"), On("green_block", "right_plate")], [place("blue_block", "left_plate"), place("green_block", "right_plate")]],
    ["put the red block in the basket and stack the blue block on the green block", goalScene(), GOAL_REGIONS, [In("red_block", "basket"), On("blue_block", "green_block")], [place("red_block", "basket"), place("blue_block", "green_block")]],
  ];
  return g.map(([language, objects, regions, goal, plan], i) => task("long", i, { language, objects, regions, goal, plan }));
}

let suitesCache: Record<SuiteName, Task[]> | undefined;

/** All four LIBERO-like suites, 10 tasks each. */
export function suites(): Record<SuiteName, Task[]> {
  suitesCache ??= { spatial: spatialSuite(), object: objectSuite(), goal: goalSuite(), long: longSuite() };
  return suitesCache;
}

export function suite(name: SuiteName): Task[] {
  const s = suites()[name];
  if (!s) throw new Error(`unknown suite "${name}"; use spatial, object, goal or long`);
  return s;
}

// ---------------------------------------------------------------- CALVIN-style chains

export interface Subtask {
  language: string;
  goal: Predicate[];
  plan: PlanOp[];
}

export interface Chain {
  seed: number;
  objects: ObjectSpec[];
  regions: Record<string, Region>;
  subtasks: Subtask[];
  /** Steps per subtask (CALVIN's 360 at 30 Hz ≈ 240 at 20 Hz). */
  maxStepsPerSubtask: number;
}

/**
 * A chain of five instructions sampled from the seed. Preconditions keep each subtask solvable: a block
 * is moved only onto a free plate or into the bowl when empty, or into the basket; never twice to one place.
 * About one instruction in four opens the (closed) drawer or closes the (open) one, never twice in a row.
 */
export function chain(seed: number, length = 5): Chain {
  const rand = rng(hash(`chain#${seed}`));
  const blocks = ["red", "blue", "green"];
  const where = new Map<string, string>(blocks.map((b) => [b, "table"]));
  const subtasks: Subtask[] = [];
  let drawerOpen = false;
  for (let guard = 0; subtasks.length < length && guard < 200; guard++) {
    if (rand() < 0.25) {
      if (subtasks.at(-1)?.plan[0].op === (drawerOpen ? "open" : "close")) continue;
      drawerOpen = !drawerOpen;
      subtasks.push({
        language: `${drawerOpen ? "open" : "close"} the drawer`,
        goal: [drawerOpen ? Open("cabinet") : Close("cabinet")],
        plan: [drawerOpen ? openDrawer : closeDrawer],
      });
      continue;
    }
    const b = blocks[Math.floor(rand() * blocks.length)];
    const dest = ["plate", "bowl", "basket"][Math.floor(rand() * 3)];
    if (where.get(b) === dest) continue;
    if (dest !== "basket" && [...where.values()].includes(dest)) continue;
    where.set(b, dest);
    const obj = `${b}_block`;
    subtasks.push({
      language: dest === "plate" ? `place the ${b} block on the plate` : `put the ${b} block in the ${dest}`,
      goal: [dest === "plate" ? On(obj, dest) : In(obj, dest)],
      plan: [place(obj, dest)],
    });
  }
  return { seed, objects: goalScene(), regions: GOAL_REGIONS, subtasks, maxStepsPerSubtask: 240 };
}

if (!COLORS.cyan) throw new Error("scene colour table lacks cyan; add it to COLORS in scene.ts");
