import { defineConfig } from "vitest/config";

// Native addons and test runner threads do not mix: every test file runs in its own forked
// process, one at a time, so two libtorch instances never share a process or a core budget.
export default defineConfig({
  test: {
    pool: "forks",
    maxWorkers: 1,
    fileParallelism: false,
    testTimeout: 120_000,
    hookTimeout: 120_000,
    include: ["test/**/*.test.ts"],
  },
});
