import { ESLint } from "eslint";
import { beforeAll, describe, expect, it } from "vitest";

let eslint: ESLint;
// Loading the config (typescript-eslint, the React plugin) is slow on a busy machine: once.
beforeAll(async () => {
  eslint = new ESLint({ cwd: process.cwd() });
  await eslint.calculateConfigForFile("src/services/save/bulk-save.ts");
}, 60_000);

/** The function-length messages for `code` as if it were the file at `path`. */
async function lint(path: string, code: string) {
  const [result] = await eslint.lintText(code, { filePath: path });
  return (result?.messages ?? []).filter((m) => m.ruleId === "max-lines-per-function");
}

/**
 * A function of `statements` + 4 lines of code (its head, a declaration, the return, the closing
 * brace), with a blank line and a comment after each statement.
 */
function functionOf(statements: number): string {
  const body = Array.from({ length: statements }, (_, i) => `  total += ${i};\n\n  // step ${i}\n`);
  return `export function long(): number {\n  let total = 0;\n${body.join("")}  return total;\n}\n`;
}

describe("the function-length rule (eslint.config.js)", () => {
  it("refuses a function of 81 lines of code in src/", async () => {
    const messages = await lint("src/services/save/bulk-save.ts", functionOf(77));
    expect(messages).toHaveLength(1);
    expect(messages[0]?.message).toMatch(/too many lines \(81\)/);
  });

  it("lets one of 80 lines through, counting neither blank lines nor comments", async () => {
    expect(await lint("src/services/save/bulk-save.ts", functionOf(76))).toEqual([]);
  });

  it("does not apply outside src/", async () => {
    expect(await lint("test/unit/build/long.test.ts", functionOf(200))).toEqual([]);
  });
});
