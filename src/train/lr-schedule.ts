// Learning-rate schedules as Hugging Face computes them (ref: transformers v5.18.0
// optimization.py get_cosine_schedule_with_warmup / get_linear_schedule_with_warmup /
// get_constant_schedule): the factor at optimizer step k (0-based) multiplies the base lr,
// warmup steps = ceil(warmupRatio · totalSteps) as TrainingArguments.get_warmup_steps does.
export type ScheduleName = "cosine" | "linear" | "constant";

export interface LrSchedule {
  readonly warmupSteps: number;
  readonly totalSteps: number;
  lrAt(step: number): number;
}

export function lrSchedule(name: ScheduleName, baseLr: number, totalSteps: number, warmupRatio: number): LrSchedule {
  if (!(totalSteps > 0)) throw new Error(`a schedule needs at least one step (got ${totalSteps})`);
  const warmupSteps = Math.ceil(warmupRatio * totalSteps);
  const factor = (k: number): number => {
    if (k < warmupSteps) return k / Math.max(1, warmupSteps);
    if (name === "constant") return 1;
    const progress = (k - warmupSteps) / Math.max(1, totalSteps - warmupSteps);
    if (name === "linear") return Math.max(0, 1 - progress);
    return Math.max(0, 0.5 * (1 + Math.cos(Math.PI * progress)));
  };
  return { warmupSteps, totalSteps, lrAt: (k) => baseLr * factor(k) };
}
