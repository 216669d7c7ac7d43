import {defineConfig} from "vitest/config";

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: "unit",
          include: ["test/**/*.test.ts"],
          // Tests never depend on the machine's speed: a loaded 2-core machine runs some of them
          // ten times slower than an idle one, so the limit only catches a hang.
          testTimeout: 120_000,
          exclude: ["test/browser/**", "**/node_modules/**"]
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
