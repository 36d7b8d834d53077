// How generated questions name the objects of a recorded scene: "the red block", "the plate".
// An object whose colour and kind it shares with another (the two black blocks of the spatial
// suite, the two white plates of the long suite) gets no name, so no question refers to it
// ambiguously and no answer hides a spatial hint ("the left plate") in its name.
import type { SceneTruth } from "../episode.js";

/** Noun phrase (without article) of each object, or null where it would be ambiguous. */
export function objectPhrases(scene: SceneTruth): (string | null)[] {
  const count = (f: (o: SceneTruth["objects"][number]) => boolean) => scene.objects.filter(f).length;
  return scene.objects.map((o) => {
    const sameKind = count((x) => x.kind === o.kind);
    const sameLook = count((x) => x.kind === o.kind && x.color === o.color);
    // Blocks always carry their colour (that is how instructions name them); containers only when needed.
    if (o.kind !== "block" && sameKind === 1) return o.kind;
    return sameLook === 1 ? `${o.color} ${o.kind}` : null;
  });
}

/** "a, b and c" */
export function listWords(items: string[]): string {
  if (items.length <= 1) return items.join("");
  return `${items.slice(0, -1).join(", ")} and ${items[items.length - 1]}`;
}

/** Phrase of the object named `name` ("red_block" → "red block"), or null when ambiguous or absent. */
export function phraseOf(scene: SceneTruth, name: string): string | null {
  const k = scene.objects.findIndex((o) => o.name === name);
  return k < 0 ? null : objectPhrases(scene)[k];
}

/** Deterministic 32-bit hash (FNV-1a) of the parts, for per-sample seeds. */
export function hashSeed(...parts: (string | number)[]): number {
  let h = 0x811c9dc5;
  const s = parts.join("\u0000");
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193) >>> 0;
  return h >>> 0;
}
