// The prompts of RoboAlign's Figure 5 (FAST token generation, SFT and RL).
export const SFT_SYSTEM_PROMPT = "You are an embodied vision-language robotic assistant for multi-object manipulation.";

export const RL_SYSTEM_PROMPT =
  "You are an embodied vision-language robotic assistant for multi-object manipulation. The assistant first thinks about the reasoning process in the mind and then provides the user with the answer. The reasoning process and answer are enclosed within <think> </think> and <answer> </answer> tags, respectively.";

export function fastTokenPrompt(instruction: string): string {
  return `Your current task is ${instruction}. Output the robot's actions to perform this task through Fast tokens.`;
}
