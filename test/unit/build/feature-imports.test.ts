import { describe, expect, it } from "vitest";
import { useRepoLint } from "../../support/repo-lint.js";

const lint = useRepoLint("no-restricted-imports");

describe("the pane's feature boundary (eslint.config.js)", () => {
  it("refuses a feature importing another feature", async () => {
    const messages = await lint(
      "src/taskpane/features/activity/activity-view.tsx",
      'import { formatBytes } from "../stored/expiry.js";\nexport const f = formatBytes;\n',
    );
    expect(messages).toHaveLength(1);
    expect(messages[0]?.message).toMatch(/imports no other feature/);
  });

  it("refuses it through the features folder too", async () => {
    const messages = await lint(
      "src/taskpane/features/save/save-panel.tsx",
      'import type { ProjectsFacade } from "../../features/projects/facade.js";\nexport type P = ProjectsFacade;\n',
    );
    expect(messages).toHaveLength(1);
  });

  it("lets a feature import its own files, shared/, services and core", async () => {
    const messages = await lint(
      "src/taskpane/features/stored/stored-view.tsx",
      [
        'import { expiryText } from "./expiry.js";',
        'import { formatBytes } from "../../shared/format.js";',
        'import type { MyRights } from "../../../services/rights/my-rights.js";',
        'import type { SeptError } from "../../../core/errors.js";',
        "export const all = [expiryText, formatBytes];",
        "export type T = MyRights | SeptError;",
        "",
      ].join("\n"),
    );
    expect(messages).toEqual([]);
  });

  it("lets the shell compose features", async () => {
    const messages = await lint(
      "src/taskpane/shell.tsx",
      'import { ConsentForm } from "./features/consent/consent-form.js";\nexport const C = ConsentForm;\n',
    );
    expect(messages).toEqual([]);
  });
});
