// Resolves one Graph request against the CSDL model, segment by segment, the way an OData
// service would: entity set or singleton, then navigation properties, keys, bound actions and
// functions (by binding type), type casts, stream properties. What the CSDL cannot express goes
// through the allow-list (allow-list.ts). The answer is the request's shape (ids normalised) and
// the problems found, if any.
import { ALLOW_LIST, type AllowListId } from "./allow-list.js";
import {
  derivesFrom,
  typeChain,
  type GraphModel,
  type Operation,
  type TypeRef,
} from "./csdl-model.js";

export interface GraphRequest {
  method: string;
  /** Path below the version segment (`/me/drive/…`), percent-encoding kept. */
  path: string;
  /** Raw query string without `?`. */
  query: string;
  /** Inside a JSON $batch. */
  inBatch?: boolean;
}

export interface Resolution {
  /** METHOD /template?query-shape: ids, item paths and option values normalised. */
  shape: string;
  method: string;
  template: string;
  queryShape: string;
  /** What the request addresses, e.g. "microsoft.graph.driveItem" or "action permanentDelete". */
  target: string;
  allowances: AllowListId[];
  problems: string[];
}

type State =
  | { kind: "root" }
  | { kind: "batch" }
  | { kind: "entity"; type: string }
  | { kind: "collection"; type: string }
  | { kind: "property"; ref: TypeRef }
  | { kind: "stream"; owner: string; media: boolean }
  | { kind: "operation"; name: string; op: Operation }
  | { kind: "count" };

const METHODS: Record<State["kind"], string[]> = {
  root: [],
  batch: ["POST"],
  entity: ["GET", "PATCH", "PUT", "DELETE"],
  collection: ["GET", "POST"],
  property: ["GET", "PUT", "PATCH", "DELETE"],
  stream: ["GET", "PUT"],
  operation: [],
  count: ["GET"],
};

/** Navigation properties whose keys are well-known names, shown as written (special/approot). */
const NAMED_KEYS = new Set(["special"]);

const PAGING_OPTIONS = new Set(["top", "skip", "skiptoken", "count", "search", "deltatoken"]);
const ALL_OPTIONS = new Set([...PAGING_OPTIONS, "select", "expand", "orderby", "filter", "format"]);

function decode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

function describe(state: State): string {
  switch (state.kind) {
    case "entity":
      return state.type;
    case "collection":
      return `Collection(${state.type})`;
    case "property":
      return state.ref.collection ? `Collection(${state.ref.type})` : state.ref.type;
    case "stream":
      return state.media ? `${state.owner} media ($value)` : `${state.owner} content stream`;
    case "operation":
      return `${state.op.kind} ${state.name}`;
    default:
      return state.kind;
  }
}

/** Whether a value of `type` (a collection or not) may bind to `binding`. */
function binds(model: GraphModel, binding: TypeRef, type: string, collection: boolean): boolean {
  return binding.collection === collection && derivesFrom(model, type, binding.type);
}

/** The bound operation `name` for this binding, its overloads' parameters merged. */
function overloads(
  model: GraphModel,
  name: string,
  type: string,
  collection: boolean,
): Operation | undefined {
  const all = (model.operations[name] ?? []).filter((o) =>
    binds(model, o.binding, type, collection),
  );
  const first = all[0];
  if (!first) return undefined;
  return { ...first, params: [...new Set(all.flatMap((o) => o.params))] };
}

function after(model: GraphModel, ref: TypeRef): State {
  if (ref.type === "Edm.Stream") return { kind: "property", ref };
  if (model.types[ref.type]?.kind === "entity") {
    return ref.collection
      ? { kind: "collection", type: ref.type }
      : { kind: "entity", type: ref.type };
  }
  return { kind: "property", ref };
}

/** The structured type whose properties query options name, at the end of the path. */
function queryType(model: GraphModel, state: State): { type: string; collection: boolean } | null {
  switch (state.kind) {
    case "entity":
      return { type: state.type, collection: false };
    case "collection":
      return { type: state.type, collection: true };
    case "operation": {
      const r = state.op.returns;
      return r && model.types[r.type] ? { type: r.type, collection: r.collection } : null;
    }
    case "property":
      return model.types[state.ref.type]
        ? { type: state.ref.type, collection: state.ref.collection }
        : null;
    default:
      return null;
  }
}

function member(model: GraphModel, type: string, name: string): TypeRef | undefined {
  for (const t of typeChain(model, type)) {
    const def = model.types[t];
    const found = def?.props[name] ?? def?.navs[name];
    if (found) return found;
  }
  return undefined;
}

function navigation(model: GraphModel, type: string, name: string): TypeRef | undefined {
  for (const t of typeChain(model, type)) {
    const found = model.types[t]?.navs[name];
    if (found) return found;
  }
  return undefined;
}

/** A property path `a/b/c` through complex types: the first name that does not resolve. */
function unresolvedPath(model: GraphModel, type: string, path: string): string | null {
  let current: string | undefined = type;
  for (const part of path.split("/")) {
    if (!current || !model.types[current]) return part;
    const m = member(model, current, part);
    if (!m) return part;
    current = m.type;
  }
  return null;
}

/** Splits on commas outside parentheses: `a,b($select=c,d)` → ["a", "b($select=c,d)"]. */
function topLevelItems(value: string): string[] {
  const items: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < value.length; i++) {
    const c = value[i];
    if (c === "(") depth++;
    else if (c === ")") depth--;
    else if (c === "," && depth === 0) {
      items.push(value.slice(start, i));
      start = i + 1;
    }
  }
  items.push(value.slice(start));
  return items.map((s) => s.trim()).filter(Boolean);
}

const FILTER_WORDS = new Set([
  "eq", "ne", "gt", "ge", "lt", "le", "and", "or", "not", "has", "in", "true", "false", "null",
  "any", "all", "asc", "desc",
]); // prettier-ignore

/** The property paths a `$filter` names (literals, operators, functions and lambda variables left out). */
function filterProperties(expression: string): string[] {
  const text = expression.replace(/'(?:[^']|'')*'/g, " ");
  const lambdaVars = new Set([...text.matchAll(/\(\s*([A-Za-z_]\w*)\s*:/g)].map((m) => m[1]!));
  const names: string[] = [];
  // Not inside a number, date or GUID literal (2024-01-01T00:00:00Z, 8f3c…-…).
  for (const m of text.matchAll(/(?<![\w.:-])[A-Za-z_]\w*(?:\/[A-Za-z_]\w*)*(?=\s*(\()?)/g)) {
    const lambda = /^(.+)\/(any|all)$/.exec(m[0]);
    const token = lambda ? lambda[1]! : m[0];
    if (m[1] === "(" && !lambda) continue; // a function call such as startswith(…)
    const first = token.split("/")[0]!;
    if (FILTER_WORDS.has(first.toLowerCase()) || lambdaVars.has(first)) continue;
    // `tags/any(x: …)`: the collection before the lambda is the property.
    names.push(token);
  }
  return names;
}

export function resolveRequest(model: GraphModel, request: GraphRequest): Resolution {
  const method = request.method.toUpperCase();
  const problems: string[] = [];
  const allowances = new Set<AllowListId>();
  const template: string[] = [];
  let state = { kind: "root" } as State;
  let stopped = false;

  const fail = (message: string, segment?: string) => {
    problems.push(message);
    if (segment !== undefined) template.push(segment);
    stopped = true;
  };

  // Path addressing: `{item}:/{path}` or `{item}:/{path}:/{rest}` (allow-list).
  let before = request.path;
  let addressed: string | null = null;
  let rest = "";
  const colon = request.path.indexOf(":");
  if (colon >= 0) {
    before = request.path.slice(0, colon);
    const tail = request.path.slice(colon + 1);
    const end = tail.indexOf(":");
    addressed = end < 0 ? tail : tail.slice(0, end);
    rest = end < 0 ? "" : tail.slice(end + 1);
    if (!addressed.startsWith("/") || rest.includes(":")) {
      problems.push(`malformed path addressing in '${request.path}'`);
      addressed = null;
      stopped = true;
    }
  }

  const step = (raw: string, previousNav: string | null): string | null => {
    const segment = decode(raw);
    const name = segment.replace(/\(.*\)$/, "");
    switch (state.kind) {
      case "root": {
        if (segment === "$batch") {
          state = { kind: "batch" };
          template.push("$batch");
          allowances.add(ALLOW_LIST.jsonBatch.id);
          return null;
        }
        const set = model.entitySets[segment];
        if (set) {
          state = { kind: "collection", type: set };
          template.push(segment);
          return segment;
        }
        const singleton = model.singletons[segment];
        if (singleton) {
          state = { kind: "entity", type: singleton };
          template.push(segment);
          return null;
        }
        const imported = model.imports[name];
        if (imported) {
          state = { kind: "operation", name, op: imported };
          template.push(segment);
          return null;
        }
        fail(
          `'${segment}' is not an entity set, singleton or operation import of Graph v1.0`,
          segment,
        );
        return null;
      }
      case "collection": {
        const { type } = state;
        if (segment === "$count") {
          state = { kind: "count" };
          template.push(segment);
          return null;
        }
        const op = overloads(model, name, type, true);
        if (op) {
          state = { kind: "operation", name, op };
          template.push(segment.includes("(") ? `${name}(…)` : name);
          return null;
        }
        if (segment.includes(".") && model.types[segment] && derivesFrom(model, segment, type)) {
          state = { kind: "collection", type: segment };
          template.push(segment);
          return null;
        }
        state = { kind: "entity", type };
        template.push(previousNav && NAMED_KEYS.has(previousNav) ? segment : "{id}");
        return null;
      }
      case "entity": {
        const { type } = state;
        if (segment === "$value") {
          if (typeChain(model, type).some((t) => model.types[t]?.hasStream)) {
            state = { kind: "stream", owner: type, media: true };
          } else if (derivesFrom(model, type, "microsoft.graph.message")) {
            state = { kind: "stream", owner: type, media: true };
            allowances.add(ALLOW_LIST.messageMime.id);
          } else {
            fail(`${type} has no media stream ($value)`, segment);
            return null;
          }
          template.push(segment);
          return null;
        }
        const m = member(model, type, segment);
        if (m) {
          template.push(segment);
          if (m.type === "Edm.Stream") {
            state = { kind: "stream", owner: type, media: false };
          } else {
            state = after(model, m);
            return navigation(model, type, segment) ? segment : null;
          }
          return null;
        }
        const op = overloads(model, name, type, false);
        if (op) {
          state = { kind: "operation", name, op };
          template.push(segment.includes("(") ? `${name}(…)` : name);
          return null;
        }
        if (segment.includes(".") && model.types[segment] && derivesFrom(model, segment, type)) {
          state = { kind: "entity", type: segment };
          template.push(segment);
          return null;
        }
        fail(
          `'${segment}' is not a property, navigation property or bound operation of ${type}`,
          segment,
        );
        return null;
      }
      case "operation": {
        const { op, name: opName } = state;
        if (op.kind === "function" && op.returns && model.types[op.returns.type]) {
          state = after(model, op.returns);
          return step(raw, null);
        }
        fail(`nothing can follow the ${op.kind} '${opName}' ('${segment}')`, segment);
        return null;
      }
      default:
        fail(`'${segment}' cannot follow ${describe(state)}`, segment);
        return null;
    }
  };

  let previousNav: string | null = null;
  for (const raw of before.split("/").filter(Boolean)) {
    if (stopped) break;
    previousNav = step(raw, previousNav);
  }
  if (addressed !== null && !stopped) {
    if (state.kind !== "entity" || !derivesFrom(model, state.type, "microsoft.graph.driveItem")) {
      fail(`path addressing (':/…:') follows ${describe(state)}, not a driveItem`);
    } else {
      allowances.add(ALLOW_LIST.pathAddressing.id);
      template.push(`:/{path}${rest === "" ? "" : ":"}`);
      previousNav = null;
      for (const raw of rest.split("/").filter(Boolean)) {
        if (stopped) break;
        previousNav = step(raw, previousNav);
      }
    }
  }
  if (state.kind === "root" && !stopped) fail("an empty path");

  // The method must fit what the path addresses.
  if (!stopped) {
    let allowed = METHODS[state.kind];
    if (state.kind === "operation") allowed = state.op.kind === "action" ? ["POST"] : ["GET"];
    if (!allowed.includes(method)) {
      problems.push(
        `${method} does not apply to ${describe(state)} (allowed: ${allowed.join(", ")})`,
      );
    }
    if (state.kind === "stream" && method === "PUT") {
      if (state.media) problems.push(`PUT of a message's MIME is not documented`);
      else allowances.add(ALLOW_LIST.putContent.id);
    }
    if (request.inBatch && state.kind === "stream" && method !== "GET") {
      problems.push(
        `file content inside $batch: no Microsoft document shows it (${ALLOW_LIST.jsonBatch.source})`,
      );
    }
    if (request.inBatch && state.kind === "batch") problems.push("a $batch inside a $batch");
  }

  // Query options: names, and the properties they name against the type at that point.
  const target = stopped ? null : queryType(model, state);
  const queryParts: string[] = [];
  const params = new URLSearchParams(request.query);
  const seen = new Set<string>();
  for (const [rawName, value] of params) {
    if (seen.has(rawName)) continue;
    seen.add(rawName);
    const dollar = rawName.startsWith("$");
    const option = (dollar ? rawName.slice(1) : rawName).toLowerCase();
    if (rawName.startsWith("@")) {
      // An instance annotation as a parameter: the term must exist and apply to the type.
      const term = rawName.slice(1);
      const owner =
        state.kind === "stream" ? state.owner : state.kind === "entity" ? state.type : null;
      const applies = model.terms[term];
      if (!applies) problems.push(`'${rawName}' is not an annotation term of Graph v1.0`);
      else if (!owner || !applies.some((t) => derivesFrom(model, owner, t))) {
        problems.push(`'${rawName}' does not apply to ${describe(state)}`);
      } else if (term === "microsoft.graph.conflictBehavior") {
        allowances.add(ALLOW_LIST.conflictBehavior.id);
      }
      queryParts.push(rawName);
      continue;
    }
    if (!ALL_OPTIONS.has(option)) {
      const fnParam =
        state.kind === "operation" &&
        state.op.kind === "function" &&
        state.op.params.includes(rawName);
      if (!fnParam && !stopped) problems.push(`unknown query option '${rawName}'`);
      queryParts.push(rawName);
      continue;
    }
    if (PAGING_OPTIONS.has(option) || option === "format") {
      if (!stopped && PAGING_OPTIONS.has(option) && !target?.collection) {
        problems.push(`'${rawName}' applies to collections, not to ${describe(state)}`);
      }
      queryParts.push(rawName);
      continue;
    }
    const items = topLevelItems(value);
    const names: string[] = [];
    if (option === "select") {
      for (const item of items) {
        if (item === "*") {
          names.push(item);
          continue;
        }
        if (item.startsWith("@")) {
          const term = model.terms[item.slice(1)];
          const applies = !!target && !!term?.some((t) => derivesFrom(model, target.type, t));
          if (!applies)
            problems.push(
              `'${rawName}' names '${item}', no annotation of ${target?.type ?? describe(state)}`,
            );
          else if (dollar) {
            problems.push(
              `'$select' names the annotation '${item}': OneDrive for Business leaves it out; ` +
                `read it as the CORS guide does (${ALLOW_LIST.corsDownloadUrl.source})`,
            );
          } else allowances.add(ALLOW_LIST.corsDownloadUrl.id);
          names.push(item);
          continue;
        }
        if (!target) problems.push(`'${rawName}' on ${describe(state)}, which has no properties`);
        else if (!member(model, target.type, item)) {
          problems.push(`'${rawName}' names '${item}', not a property of ${target.type}`);
        }
        names.push(item);
      }
    } else if (option === "expand") {
      for (const item of items) {
        const nav = item.replace(/\(.*\)$/s, "").trim();
        if (!target || !navigation(model, target.type, nav)) {
          problems.push(
            `'${rawName}' names '${nav}', not a navigation property of ${target?.type ?? describe(state)}`,
          );
        }
        names.push(nav);
      }
    } else if (option === "orderby") {
      for (const item of items) {
        const path = item.replace(/\s+(asc|desc)$/i, "").trim();
        const bad = target ? unresolvedPath(model, target.type, path) : path;
        if (bad !== null) {
          problems.push(
            `'${rawName}' names '${path}', not a property of ${target?.type ?? describe(state)}`,
          );
        }
        names.push(item.replace(/\s+/g, " "));
      }
    } else if (option === "filter") {
      for (const path of filterProperties(value)) {
        const bad = target ? unresolvedPath(model, target.type, path) : path;
        if (bad !== null) {
          problems.push(
            `'${rawName}' names '${path}', not a property of ${target?.type ?? describe(state)}`,
          );
        }
        names.push(path);
      }
    }
    queryParts.push(`${rawName}=${[...new Set(names)].sort().join(",")}`);
  }
  queryParts.sort();
  const templateText = `/${template.join("/")}`.replace(/\/:\//g, ":/");
  const queryShape = queryParts.join("&");
  return {
    shape: `${method} ${templateText}${queryShape ? `?${queryShape}` : ""}`,
    method,
    template: templateText,
    queryShape,
    target: describe(state),
    allowances: [...allowances],
    problems,
  };
}
