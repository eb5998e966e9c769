// The repository's own ESLint config (eslint.config.js), for tests that show a lint rule fires.
import { ESLint } from "eslint";
import { beforeAll } from "vitest";

/**
 * Loads the config once for the test file (typescript-eslint and the React plugin are slow to
 * load on a busy machine) and returns `lint`: the messages of `ruleId` for `code`, linted as if it
 * were the file at `path`.
 */
export function useRepoLint(ruleId: string) {
  let eslint: ESLint;
  beforeAll(async () => {
    eslint = new ESLint({ cwd: process.cwd() });
    await eslint.calculateConfigForFile("src/taskpane/shell.tsx");
  }, 60_000);
  return async (path: string, code: string) => {
    const [result] = await eslint.lintText(code, { filePath: path });
    return (result?.messages ?? []).filter((m) => m.ruleId === ruleId);
  };
}
