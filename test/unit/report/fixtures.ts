// Synthetic pipeline inputs for the report tests: a summary and metrics lines shaped like the training stages'.
import type { PipelineSummary } from "../../../src/report/index.js";

export function syntheticSummary(): PipelineSummary {
  return {
    version: 1,
    preset: "tiny",
    backbone: "mock-vl-tiny",
    seed: 7,
    stages: [
      { name: "data", seconds: 4.2 },
      { name: "base", seconds: 61 },
      { name: "sft", seconds: 312.5 },
      { name: "grpo", seconds: 1405 },
      { name: "eval", seconds: 48 },
    ],
    base: { firstLoss: 3.4, lastLoss: 1.2, steps: 80 },
    sft: { firstLoss: 2.31, lastLoss: 0.42, steps: 300 },
    grpo: { steps: 40, firstRewardMean: 0.41, lastRewardMean: 0.63, groupSize: 8 },
    heldout: {
      prompts: 64,
      before: { fastAccuracy: 0.02, reward: 0.05, format: 0.1 },
      afterSft: { fastAccuracy: 0.31, reward: 0.55, format: 0.93, fastAccuracySem: 0.025, rewardSem: 0.03 },
      afterRl: { fastAccuracy: 0.42, reward: 0.68, format: 0.97, fastAccuracySem: 0.022, rewardSem: 0.025 },
    },
    notes: ["synthetic numbers for the report tests"],
  };
}

/** metrics.jsonl text shaped like the trainers': base and SFT loss, GRPO steps, GRPO held-out evaluations, plus one blank and two damaged lines. */
export function syntheticMetrics(): string {
  const lines: string[] = [];
  for (let step = 1; step <= 80; step++) lines.push(JSON.stringify({ stage: "base", step, loss: 1.2 + 2.2 * Math.exp(-step / 20) + 0.05 * Math.sin(step) }));
  for (let step = 1; step <= 300; step++) {
    const loss = step === 150 ? Number.NaN : 0.4 + 1.9 * Math.exp(-step / 60) + 0.08 * Math.sin(step * 1.3);
    lines.push(JSON.stringify({ stage: "sft", step, loss, lr: 2e-5, gradNorm: 0.8, tokensPerSec: 5400 }));
  }
  lines.push("");
  lines.push('{"stage":"sft","step":301,"loss":0.4'); // truncated by a crash mid-write
  lines.push(JSON.stringify({ stage: "grpo-eval", when: "before", step: 0, heldoutReward: 0.55, heldoutFormat: 0.93, heldoutAccuracy: 0.31, heldoutRewardSem: 0.03, heldoutPrompts: 64 }));
  for (let step = 1; step <= 40; step++) {
    const format = Math.min(1, 0.6 + step * 0.01);
    const accuracy = 0.22 + step * 0.004;
    lines.push(JSON.stringify({ stage: "grpo", step, rewardMean: (format + accuracy) / 2, rewardStd: 0.1, format, accuracy, responseLength: 31.5 - step * 0.1, klLoss: 0.002 * step }));
    if (step % 20 === 0) lines.push(JSON.stringify({ stage: "grpo-eval", when: step === 40 ? "after" : "during", step, heldoutReward: 0.55 + step * 0.003, heldoutFormat: 0.93, heldoutAccuracy: 0.31 + step * 0.003, heldoutRewardSem: 0.03, heldoutPrompts: 64 }));
  }
  lines.push("not json at all");
  return `${lines.join("\n")}\n`;
}
