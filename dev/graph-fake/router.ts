// A minimal router: routes are regexes over the raw path (percent-encoding kept) so ids that
// contain `/` or `%2F` can be matched on purpose by the handlers that care.
import type { ScopeArea } from "./auth.js";
import { GraphError } from "./errors.js";
import type { FakeRequest, FakeResponse } from "./exchange.js";

export type RouteHandler = (
  req: FakeRequest,
  params: string[],
) => FakeResponse | Promise<FakeResponse>;

export interface Route {
  methods: string[];
  pattern: RegExp;
  /** Scope the caller needs; also tells which area a fault or error belongs to. */
  scope: ScopeArea | "none";
  /** Drive routes are the ones `approotForbidden` closes. */
  drive?: boolean;
  handler: RouteHandler;
}

export type RouteMatch = { route: Route; params: string[] };

export class Router {
  private readonly routes: Route[] = [];

  add(route: Route): this {
    this.routes.push(route);
    return this;
  }

  /** The route for this request; 405 when the path exists for other methods, 400 otherwise. */
  match(method: string, path: string): RouteMatch {
    let pathMatched = false;
    for (const route of this.routes) {
      const m = route.pattern.exec(path);
      if (!m) continue;
      pathMatched = true;
      if (route.methods.includes(method)) return { route, params: m.slice(1).map((p) => p ?? "") };
    }
    if (pathMatched) {
      throw new GraphError(
        405,
        "Request_BadRequest",
        `The HTTP method '${method}' is not supported for this resource.`,
      );
    }
    throw new GraphError(
      400,
      "BadRequest",
      `Resource not found for the segment '${lastSegment(path)}'.`,
    );
  }
}

function lastSegment(path: string): string {
  const parts = path.split("/").filter(Boolean);
  return parts[parts.length - 1] ?? "";
}
