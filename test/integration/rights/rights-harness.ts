// Shared setup for the rights tests: one Graph fake per file (wiped before each test), panes wired
// as composition.ts wires them with the rights services, and a view of what the fake holds.
import type { LoggedRequest } from "../../../dev/graph-fake/types.js";
import type { StoragePort } from "../../../src/core/ports/storage.js";
import type { TestFake } from "../../support/graph-fake.js";
import { useTestFake } from "../../support/use-test-fake.js";
import { createRightsPane, createSeedingStorage } from "../../support/rights-stack.js";

export { seedStoredEmails, seededEml, seededId, seededRecord } from "../../support/rights-stack.js";

export interface RightsHarness {
  fake(): TestFake;
  pane(): ReturnType<typeof createRightsPane>;
  /** Storage for seeding only: 16 requests at a time. */
  seeder(): StoragePort;
  /** Requests the fake received as the client sent them (a $batch counts once). */
  outerRequests(): LoggedRequest[];
  /** Every file in the user's app folder, as paths below it (walks the fake's folders). */
  allFiles(): Promise<string[]>;
}

export function useRightsHarness(): RightsHarness {
  const t = useTestFake();
  const fake = () => t;

  const children = async (url: string): Promise<Array<Record<string, unknown>>> => {
    const items: Array<Record<string, unknown>> = [];
    for (let next: string | undefined = url; next;) {
      const res = await fake().fetch(next);
      if (res.status === 404) return items;
      const body = (await res.json()) as {
        value: Array<Record<string, unknown>>;
        "@odata.nextLink"?: string;
      };
      items.push(...body.value);
      next = body["@odata.nextLink"];
    }
    return items;
  };

  return {
    fake,
    pane: () => createRightsPane(fake().fake.graphBaseUrl),
    seeder: () => createSeedingStorage(fake().fake.graphBaseUrl),
    outerRequests: () =>
      fake()
        .fake.requests()
        .filter((r) => !r.batch),
    async allFiles() {
      const files: string[] = [];
      const walk = async (url: string, prefix: string) => {
        for (const item of await children(url)) {
          const path = `${prefix}${String(item.name)}`;
          if (item.folder) {
            await walk(`/me/drive/items/${String(item.id)}/children?$top=999`, `${path}/`);
          } else {
            files.push(path);
          }
        }
      };
      await walk("/me/drive/special/approot/children?$top=999", "");
      return files.sort();
    },
  };
}
