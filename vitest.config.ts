import {defineConfig} from "vitest/config";

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: "unit",
          include: ["test/**/*.test.ts"],
          exclude: ["test/browser/**", "**/node_modules/**"],
          // Simulation tests take seconds on a busy 2-core machine: no test may fail for speed.
          testTimeout: 60_000
        }
      },
      {
        test: {
          name: "browser",
          include: ["test/browser/**/*.test.ts"],
          globalSetup: ["test/browser/globalSetup.ts"], // builds the site once per run
          fileParallelism: false, // one browser test file at a time
          testTimeout: 120_000,
          hookTimeout: 120_000
        }
      }
    ]
  }
});
