import {availableParallelism} from "node:os";
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
          // Vitest's default is one worker fewer than the cores, which is one on a 2-core machine;
          // the unit files are independent (each writes only to its own temporary directory), so
          // use both.
          maxWorkers: Math.max(2, availableParallelism() - 1),
          exclude: ["test/browser/**", "**/node_modules/**"]
        }
      },
      {
        test: {
          name: "browser",
          include: ["test/browser/**/*.test.ts"],
          // Builds the site once per run and starts the Chromium that startSite({shared: true}) connects to.
          globalSetup: ["test/browser/globalSetup.ts"],
          fileParallelism: false, // one browser test file at a time, after the unit files
          // Within a file, tests marked concurrent (independent pages in the file's browser
          // context) run up to three at a time: a page's run takes one core in its worker, its
          // rendering another, and the machine has two.
          maxConcurrency: 3,
          testTimeout: 120_000,
          hookTimeout: 120_000
        }
      }
    ]
  }
});
