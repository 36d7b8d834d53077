// A training corpus for the text-tokenizer tests: RoboAlign-style prompts and answers (Figure 5:
// system prompts, <think>/<answer>), robot instructions, numbers and some non-ASCII, generated
// from word lists with a fixed LCG, plus the repository's README and TypeScript sources for
// variety (enough distinct pairs for a few thousand merges). Tests compare two tokenizer
// implementations on the same trained files, so the corpus need not be frozen.
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { repoRoot } from "../../helpers/paths.js";

const objects = ["red block", "blue cup", "green bowl", "drawer handle", "sponge", "carrot", "towel", "spoon", "lid", "yellow cube"];
const verbs = ["pick up", "place", "push", "open", "close", "move", "grasp", "lift", "rotate", "slide"];
const places = ["on the table", "into the drawer", "next to the sink", "on the left", "to the right of the plate", "inside the basket"];
const extras = [
  "Élan vital — café, naïve, über, señor.",
  "机器人抓取红色方块。",
  "ロボットが物を置く。",
  "Emoji test 🤖👍 done.",
  "x = [0.12, -3.5, 42]; y = f(x) * 2 // comment",
  "  indented line\n\n\tnext line\r\nwindows line",
  "It's what we'll do; THEY'RE sure it'd work, I'M told.",
];

function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

function repoTexts(): string[] {
  const out = [readFileSync(join(repoRoot, "README.md"), "utf8")];
  const walk = (dir: string) => {
    for (const e of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const p = join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith(".ts")) out.push(readFileSync(p, "utf8"));
    }
  };
  walk(join(repoRoot, "src"));
  return out;
}

export function trainingCorpus(n = 3000): string[] {
  const rand = lcg(12345);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)];
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    const a = pick(verbs);
    const o = pick(objects);
    const p = pick(places);
    const step = Math.floor(rand() * 1000);
    out.push(`You are a helpful assistant. The robot should ${a} the ${o} ${p}.`);
    out.push(`user\nWhat should the robot do at step ${step}? system\nassistant\n`);
    out.push(`<think>The ${o} is ${p}, so I ${a} it first.</think><answer>${a} the ${o}</answer>`);
    if (i % 10 === 0) out.push(pick(extras));
  }
  return [...out, ...repoTexts()];
}
