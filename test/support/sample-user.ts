// The sample mailbox's owner, and a Graph client signed in as them over a test fake: what the
// integration tests build when they talk to Graph without a whole pane.
import type { Client } from "@microsoft/microsoft-graph-client";
import {
  createDevTokenProvider,
  type DevUser,
} from "../../src/adapters/auth/dev-token-provider.js";
import { createGraphClient } from "../../src/adapters/graph/graph-client.js";

export const SAMPLE_USER: DevUser = {
  id: "alex-martin",
  username: "alex.martin@contoso-build.example",
  name: "Alex Martin",
};

/** A client for these scopes, retrying after 1 s (3 times) where the SDK would wait 3 s. */
export function sampleUserClient(
  graphBaseUrl: string,
  scopes: readonly string[],
  user: DevUser = SAMPLE_USER,
): Client {
  return createGraphClient({
    graphBaseUrl,
    auth: createDevTokenProvider(user),
    scopes,
    retry: { delaySeconds: 1, maxRetries: 3 },
  });
}
