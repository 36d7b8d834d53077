// MJCF generation (scene as data → XML); arm kinematics follow mujoco_menagerie franka_emika_panda, scene kit §3.1/§7 of shared/reference/simulation.md.
import { rng } from "../util/random.js";

export type Rgb = readonly [number, number, number];
export type ObjectKind = "block" | "plate" | "bowl" | "basket" | "cabinet";

/** One movable object: every object is a free body so layouts are set through qpos without recompiling. */
export interface ObjectSpec {
  name: string;
  kind: ObjectKind;
  colorName: string;
  rgb: Rgb;
}

export const COLORS: Record<string, Rgb> = {
  red: [0.85, 0.12, 0.1],
  green: [0.15, 0.7, 0.2],
  blue: [0.12, 0.3, 0.9],
  yellow: [0.95, 0.85, 0.1],
  purple: [0.6, 0.2, 0.75],
  orange: [0.95, 0.5, 0.1],
  black: [0.12, 0.12, 0.12],
  white: [0.92, 0.92, 0.9],
  pink: [0.95, 0.45, 0.65],
  brown: [0.55, 0.35, 0.18],
  cyan: [0.1, 0.8, 0.85],
};

export function block(colorName: string, name = `${colorName}_block`): ObjectSpec {
  return { name, kind: "block", colorName, rgb: colorOf(colorName) };
}
export function plate(name = "plate", colorName = "white"): ObjectSpec {
  return { name, kind: "plate", colorName, rgb: colorOf(colorName) };
}
export function bowl(name = "bowl", colorName = "black"): ObjectSpec {
  return { name, kind: "bowl", colorName, rgb: colorOf(colorName) };
}
export function basket(name = "basket", colorName = "brown"): ObjectSpec {
  return { name, kind: "basket", colorName, rgb: colorOf(colorName) };
}

/** A low cabinet whose one drawer faces the robot (−x); the drawer slides on `${name}_drawer_slide`. */
export function cabinet(name = "cabinet", colorName = "white"): ObjectSpec {
  return { name, kind: "cabinet", colorName, rgb: colorOf(colorName) };
}

function colorOf(name: string): Rgb {
  const c = COLORS[name];
  if (!c) throw new Error(`unknown colour "${name}"; use one of ${Object.keys(COLORS).join(", ")}`);
  return c;
}

/** Geometry constants shared with predicates and the expert (metres). */
export const GEOM = {
  blockHalf: 0.02,
  plateRadius: 0.07,
  plateHalfHeight: 0.006,
  bowlRadius: 0.065,
  bowlWallHalfHeight: 0.015,
  basketHalf: 0.085,
  basketWallHalfHeight: 0.02,
  tableTop: 0,
  /** Cabinet carcass half sizes (x depth, y width, z height) and wall thickness. */
  cabinetHalf: [0.08, 0.1, 0.05] as const,
  cabinetWall: 0.005,
  /** Drawer travel (m) and where its handle bar sits: in front of the drawer face, at this height. */
  drawerTravel: 0.14,
  handleStandoff: 0.045,
  handleHeight: 0.06,
  handleRadius: 0.006,
  robotBase: [-0.52, 0, 0] as const,
} as const;

/** Footprint radius used for collision-free placement. */
export function footprint(kind: ObjectKind): number {
  switch (kind) {
    case "block":
      return 0.035;
    case "plate":
      return GEOM.plateRadius + 0.01;
    case "bowl":
      return GEOM.bowlRadius + 0.01;
    case "basket":
      return GEOM.basketHalf * 1.3 + 0.01;
    case "cabinet":
      return Math.hypot(GEOM.cabinetHalf[0], GEOM.cabinetHalf[1]) + 0.01;
  }
}

/** Height of the object's supporting surface above its base (where something placed on/in it rests). */
export function supportHeight(kind: ObjectKind): number {
  switch (kind) {
    case "block":
      return 2 * GEOM.blockHalf;
    case "plate":
      return 2 * GEOM.plateHalfHeight;
    case "bowl":
      return 0.006;
    case "basket":
      return 0.006;
    case "cabinet":
      return 2 * GEOM.cabinetHalf[2];
  }
}

/** Rim height above the base: how high a carried object must clear to get in. */
export function rimHeight(kind: ObjectKind): number {
  switch (kind) {
    case "block":
      return 2 * GEOM.blockHalf;
    case "plate":
      return 2 * GEOM.plateHalfHeight;
    case "bowl":
      return 2 * GEOM.bowlWallHalfHeight + 0.006;
    case "basket":
      return 2 * GEOM.basketWallHalfHeight + 0.006;
    case "cabinet":
      return 2 * GEOM.cabinetHalf[2];
  }
}

const f = (v: number) => (Math.abs(v) < 1e-12 ? "0" : Number(v.toFixed(5)).toString());
const v3 = (a: readonly number[]) => a.map(f).join(" ");
const rgba = (c: Rgb, a = 1) => `${v3(c)} ${a}`;

function objectXml(o: ObjectSpec): string {
  const c = rgba(o.rgb);
  const body = (inner: string, mass?: number) =>
    `<body name="${o.name}" pos="0 0 -1"><freejoint name="${o.name}_free"/>${mass ? `<inertial pos="0 0 0.01" mass="${mass}" diaginertia="1e-3 1e-3 1e-3"/>` : ""}${inner}</body>`;
  switch (o.kind) {
    case "block": {
      const h = GEOM.blockHalf;
      return body(`<geom name="${o.name}_g" type="box" size="${f(h)} ${f(h)} ${f(h)}" pos="0 0 ${f(h)}" rgba="${c}" density="400" class="obj"/>`);
    }
    case "plate":
      return body(
        `<geom name="${o.name}_g" type="cylinder" size="${f(GEOM.plateRadius)} ${f(GEOM.plateHalfHeight)}" pos="0 0 ${f(GEOM.plateHalfHeight)}" rgba="${c}" class="obj"/>`,
        0.2,
      );
    case "bowl": {
      const walls: string[] = [`<geom name="${o.name}_g" type="cylinder" size="${f(GEOM.bowlRadius)} 0.003" pos="0 0 0.003" rgba="${c}" class="obj"/>`];
      const n = 12;
      const side = 2 * GEOM.bowlRadius * Math.tan(Math.PI / n);
      for (let i = 0; i < n; i++) {
        const a = (2 * Math.PI * i) / n;
        walls.push(
          `<geom name="${o.name}_w${i}" type="box" size="0.004 ${f(side / 2 + 0.002)} ${f(GEOM.bowlWallHalfHeight)}" pos="${f(GEOM.bowlRadius * Math.cos(a))} ${f(GEOM.bowlRadius * Math.sin(a))} ${f(GEOM.bowlWallHalfHeight + 0.006)}" euler="0 0 ${f(a)}" rgba="${c}" class="obj"/>`,
        );
      }
      return body(walls.join(""), 0.3);
    }
    case "basket": {
      const h = GEOM.basketHalf;
      const w = GEOM.basketWallHalfHeight;
      const z = w + 0.006;
      return body(
        [
          `<geom name="${o.name}_g" type="box" size="${f(h)} ${f(h)} 0.003" pos="0 0 0.003" rgba="${c}" class="obj"/>`,
          `<geom name="${o.name}_w0" type="box" size="0.004 ${f(h)} ${f(w)}" pos="${f(h)} 0 ${f(z)}" rgba="${c}" class="obj"/>`,
          `<geom name="${o.name}_w1" type="box" size="0.004 ${f(h)} ${f(w)}" pos="${f(-h)} 0 ${f(z)}" rgba="${c}" class="obj"/>`,
          `<geom name="${o.name}_w2" type="box" size="${f(h)} 0.004 ${f(w)}" pos="0 ${f(h)} ${f(z)}" rgba="${c}" class="obj"/>`,
          `<geom name="${o.name}_w3" type="box" size="${f(h)} 0.004 ${f(w)}" pos="0 ${f(-h)} ${f(z)}" rgba="${c}" class="obj"/>`,
        ].join(""),
        0.4,
      );
    }
    case "cabinet":
      return cabinetXml(o, c);
  }
}

/**
 * Cabinet: a heavy carcass open at the front (−x) and a drawer on a slide joint (positive = pulled out toward
 * the robot) with a handle bar across its face, which the expert hooks with closed fingers.
 */
function cabinetXml(o: ObjectSpec, c: string): string {
  const [hx, hy, hz] = GEOM.cabinetHalf;
  const w = GEOM.cabinetWall / 2;
  const g = (n: string, size: number[], pos: number[], rgba = c) => `<geom name="${o.name}_${n}" type="box" size="${v3(size)}" pos="${v3(pos)}" rgba="${rgba}" class="obj"/>`;
  const carcass = [
    g("top", [hx, hy, w], [0, 0, 2 * hz - w]),
    g("bottom", [hx, hy, w], [0, 0, w]),
    g("left", [hx, w, hz], [0, -hy + w, hz]),
    g("right", [hx, w, hz], [0, hy - w, hz]),
    g("back", [w, hy, hz], [hx - w, 0, hz]),
  ];
  // drawer box inside the carcass: 1 mm of play on each side so it slides without touching the walls
  const dx = hx - 2 * w, dy = hy - 2 * w - 0.001, dz = hz - 2 * w - 0.001;
  const face = rgba([o.rgb[0] * 0.8, o.rgb[1] * 0.8, o.rgb[2] * 0.8]);
  const handle = 'rgba="0.25 0.25 0.28 1"';
  const hxBar = -hx - GEOM.handleStandoff;
  const zh = GEOM.handleHeight - hz; // the drawer body sits at the carcass's mid-height
  const drawer = [
    g("drawer_face", [w, dy, dz], [-hx + w, 0, 0], face),
    g("drawer_bottom", [dx, dy, w], [0, 0, -dz + w], face),
    g("drawer_left", [dx, w, dz * 0.7], [0, -dy + w, -dz * 0.3], face),
    g("drawer_right", [dx, w, dz * 0.7], [0, dy - w, -dz * 0.3], face),
    g("drawer_back", [w, dy, dz * 0.7], [dx - w, 0, -dz * 0.3], face),
    `<geom name="${o.name}_handle" type="capsule" fromto="${v3([hxBar, -0.045, zh])} ${v3([hxBar, 0.045, zh])}" size="${f(GEOM.handleRadius)}" ${handle} class="obj"/>`,
    `<geom type="box" size="${v3([GEOM.handleStandoff / 2, 0.004, 0.004])}" pos="${v3([-hx - GEOM.handleStandoff / 2, -0.04, zh])}" ${handle} class="obj"/>`,
    `<geom type="box" size="${v3([GEOM.handleStandoff / 2, 0.004, 0.004])}" pos="${v3([-hx - GEOM.handleStandoff / 2, 0.04, zh])}" ${handle} class="obj"/>`,
  ];
  return (
    `<body name="${o.name}" pos="0 0 -1"><freejoint name="${o.name}_free"/><inertial pos="0 0 ${f(hz)}" mass="8" diaginertia="0.05 0.05 0.05"/>${carcass.join("")}` +
    `<body name="${o.name}_drawer" pos="0 0 ${f(hz)}"><joint name="${o.name}_drawer_slide" type="slide" axis="-1 0 0" range="0 ${f(GEOM.drawerTravel)}" damping="10" armature="0.05"/>` +
    `<inertial pos="0 0 0" mass="0.3" diaginertia="1e-3 1e-3 1e-3"/>${drawer.join("")}</body></body>`
  );
}

/** The Panda chain (menagerie body offsets, quaternions and joint ranges) dressed in capsules. */
function armXml(): string {
  const link = 'rgba="0.93 0.93 0.93 1"';
  const dark = 'rgba="0.2 0.2 0.22 1"';
  const pad = (side: string) =>
    `<geom name="${side}_pad" type="box" size="0.011 0.006 0.02" pos="0 0.006 0.035" class="pad" ${dark}/>` +
    `<geom type="box" size="0.008 0.005 0.012" pos="0 0.014 0.006" class="pad" ${dark}/>`;
  return `
<body name="link0" pos="${v3(GEOM.robotBase)}">
 <geom type="cylinder" size="0.07 0.05" pos="0 0 0.05" ${link}/>
 <body name="link1" pos="0 0 0.333" gravcomp="1">
  <joint name="joint1" range="-2.8973 2.8973"/>
  <geom type="capsule" fromto="0 0 -0.23 0 0 -0.05" size="0.06" ${link}/>
  <body name="link2" quat="1 -1 0 0" gravcomp="1">
   <joint name="joint2" range="-1.7628 1.7628"/>
   <geom type="capsule" fromto="0 0 0 0 -0.2 0" size="0.06" ${link}/>
   <body name="link3" pos="0 -0.316 0" quat="1 1 0 0" gravcomp="1">
    <joint name="joint3" range="-2.8973 2.8973"/>
    <geom type="capsule" fromto="0 0 -0.1 0.0825 0 0" size="0.055" ${link}/>
    <body name="link4" pos="0.0825 0 0" quat="1 1 0 0" gravcomp="1">
     <joint name="joint4" range="-3.0718 -0.0698"/>
     <geom type="capsule" fromto="0 0 0 -0.0825 0.1 0" size="0.055" ${link}/>
     <body name="link5" pos="-0.0825 0.384 0" quat="1 -1 0 0" gravcomp="1">
      <joint name="joint5" range="-2.8973 2.8973"/>
      <geom type="capsule" fromto="0 0 -0.24 0 0 -0.05" size="0.05" ${link}/>
      <body name="link6" quat="1 1 0 0" gravcomp="1">
       <joint name="joint6" range="-0.0175 3.7525"/>
       <geom type="capsule" fromto="0 0 0 0.088 0 0" size="0.045" ${dark}/>
       <body name="link7" pos="0.088 0 0" quat="1 1 0 0" gravcomp="1">
        <joint name="joint7" range="-2.8973 2.8973"/>
        <geom type="cylinder" size="0.045 0.03" pos="0 0 0.05" ${link}/>
        <body name="hand" pos="0 0 0.107" quat="0.9238795 0 0 -0.3826834" gravcomp="1">
         <geom name="hand_g" type="box" size="0.02 0.09 0.022" pos="0 0 0.03" ${link}/>
         <site name="ee" pos="0 0 0.095" size="0.005"/>
         <site name="wrist_cam" pos="0.06 0 0.015" size="0.005"/>
         <body name="left_finger" pos="0 0 0.0584" gravcomp="1">
          <joint name="finger_joint1" type="slide" axis="0 1 0" range="0 0.04" class="finger"/>
          ${pad("left")}
         </body>
         <body name="right_finger" pos="0 0 0.0584" quat="0 0 0 1" gravcomp="1">
          <joint name="finger_joint2" type="slide" axis="0 1 0" range="0 0.04" class="finger"/>
          ${pad("right")}
         </body>
        </body>
       </body>
      </body>
     </body>
    </body>
   </body>
  </body>
 </body>
</body>`;
}

/** Home posture (menagerie keyframe) with the gripper open. */
export const HOME_Q = [0, 0.1, 0, -2.2, 0, 2.3, 0.7854] as const;

/** Full MJCF for a set of objects. The arm comes first so its 7 dofs are qpos/qvel 0..6 and fingers 7..8. */
export function sceneXml(objects: readonly ObjectSpec[]): string {
  const names = new Set<string>();
  for (const o of objects) {
    if (names.has(o.name)) throw new Error(`duplicate object name "${o.name}" in scene; give each object a unique name`);
    names.add(o.name);
  }
  const act = (j: number, kp: number, kv: number, range: string) =>
    `<position name="a${j}" joint="joint${j}" kp="${kp}" kv="${kv}" ctrlrange="${range}"/>`;
  return `<mujoco model="roboalign_sim">
<compiler angle="radian" autolimits="true"/>
<option timestep="0.002" integrator="implicitfast" cone="elliptic" impratio="10"/>
<size memory="4M"/>
<default>
 <joint damping="2" armature="0.1"/>
 <geom contype="1" conaffinity="1" condim="3" friction="1 0.005 0.0001" density="600"/>
 <default class="finger"><joint damping="5" armature="0.05"/></default>
 <default class="pad"><geom condim="4" friction="1.5 0.01 0.001" solref="0.004 1" density="300"/></default>
 <default class="obj"><geom condim="4" friction="1.2 0.01 0.001" solref="0.004 1"/></default>
</default>
<worldbody>
 ${armXml()}
 <geom name="table" type="box" size="0.45 0.6 0.025" pos="0 0 -0.025" rgba="0.62 0.5 0.38 1"/>
 <geom name="floor" type="plane" size="3 3 0.1" pos="0 0 -0.75" rgba="0.35 0.37 0.4 1"/>
 ${objects.map(objectXml).join("\n ")}
</worldbody>
<actuator>
 ${act(1, 4500, 300, "-2.8973 2.8973")}
 ${act(2, 4500, 300, "-1.7628 1.7628")}
 ${act(3, 3500, 250, "-2.8973 2.8973")}
 ${act(4, 3500, 250, "-3.0718 -0.0698")}
 ${act(5, 2000, 100, "-2.8973 2.8973")}
 ${act(6, 2000, 100, "-0.0175 3.7525")}
 ${act(7, 1500, 60, "-2.8973 2.8973")}
 <position name="f1" joint="finger_joint1" kp="400" kv="8" ctrlrange="0 0.04"/>
 <position name="f2" joint="finger_joint2" kp="400" kv="8" ctrlrange="0 0.04"/>
</actuator>
</mujoco>`;
}

/** A placed object: xy on the table and yaw (rad). */
export interface Placement {
  x: number;
  y: number;
  yaw: number;
}

/** Rectangular placement region on the table (LIBERO `:regions` idea). */
export interface Region {
  x: readonly [number, number];
  y: readonly [number, number];
}

export const WORKSPACE: Region = { x: [-0.14, 0.16], y: [-0.26, 0.26] };

/**
 * Seeded rejection sampler: each object is drawn in its region until it clears every earlier footprint.
 * Blocks get a yaw in ±45° (all their grasps are equivalent modulo 90°); containers keep yaw 0.
 */
export function placeObjects(objects: readonly ObjectSpec[], seed: number, regions: Record<string, Region> = {}): Placement[] {
  const rand = rng(seed);
  // Whole-layout restarts: a late object boxed in by earlier ones triggers a fresh draw of all of them.
  for (let restart = 0; restart < 200; restart++) {
    const out: Placement[] = [];
    for (let i = 0; i < objects.length; i++) {
      const o = objects[i];
      const r = regions[o.name] ?? WORKSPACE;
      for (let attempt = 0; attempt < 100; attempt++) {
        const x = r.x[0] + (r.x[1] - r.x[0]) * rand();
        const y = r.y[0] + (r.y[1] - r.y[0]) * rand();
        const yaw = o.kind === "block" ? (rand() - 0.5) * (Math.PI / 2) : 0;
        if (out.every((p, j) => Math.hypot(p.x - x, p.y - y) > footprint(o.kind) + footprint(objects[j].kind))) {
          out.push({ x, y, yaw });
          break;
        }
      }
      if (out.length !== i + 1) break;
    }
    if (out.length === objects.length) return out;
  }
  throw new Error(`could not place ${objects.length} objects without overlap (seed ${seed}); widen the task's regions or use fewer objects`);
}
