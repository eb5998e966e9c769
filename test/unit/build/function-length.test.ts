import { describe, expect, it } from "vitest";
import { useRepoLint } from "../../support/repo-lint.js";

const lint = useRepoLint("max-lines-per-function");

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
