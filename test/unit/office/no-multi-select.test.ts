// Outlook's multi-select needs ReadWriteMailbox and SupportsMultiSelect (office-js-docs-pr,
// item-multi-select.md); SEPT ships ReadItem. So nothing in the pane may rely on it: saving
// several messages goes through the conversation list instead.
import { readFileSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = join(import.meta.dirname, "..", "..", "..");

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sources(path);
    return /\.(ts|tsx)$/.test(name) ? [path] : [];
  });
}

describe("the add-in and Outlook multi-select", () => {
  it("never calls getSelectedItemsAsync nor listens for SelectedItemsChanged", () => {
    const users = sources(join(ROOT, "src")).filter((file) =>
      /getSelectedItemsAsync|SelectedItemsChanged|loadItemByIdAsync/.test(
        readFileSync(file, "utf8"),
      ),
    );
    expect(users).toEqual([]);
  });

  it("ships a ReadItem manifest that does not ask for multi-select", () => {
    const manifest = readFileSync(join(ROOT, "manifest.xml"), "utf8");
    expect(manifest).toMatch(/<Permissions>ReadItem<\/Permissions>/);
    expect(manifest).not.toMatch(/SupportsMultiSelect/);
  });
});
