// How a consent record made in a test was collected: a task pane in Outlook on the web, in
// English. One definition for every test that grants or withdraws.
import type { CollectionContext } from "../../src/core/consent/consent.js";

export function testCollection(overrides: Partial<CollectionContext> = {}): CollectionContext {
  return {
    method: "taskpane",
    addinVersion: "test",
    host: "Outlook",
    platform: "OfficeOnline",
    hostVersion: "16.0",
    language: "en",
    ...overrides,
  };
}
