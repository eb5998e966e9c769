// A compact model of Microsoft Graph's v1.0 CSDL (../shared/graph-metadata/v1.0-Prod.csdl):
// just what a request-conformance check needs. Parsed with a small tag scanner (the file is
// machine-written, well-formed XML) and cached as JSON keyed by the file's hash.
import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

/** Beside the checkout (it is Microsoft's file, never copied in); SEPT_GRAPH_CSDL overrides. */
export const DEFAULT_CSDL_PATH =
  process.env.SEPT_GRAPH_CSDL ??
  resolve(dirname(fileURLToPath(import.meta.url)), "../../../shared/graph-metadata/v1.0-Prod.csdl");

/** A type reference: a qualified name (aliases expanded), and whether it is a collection. */
export interface TypeRef {
  type: string;
  collection: boolean;
}

export interface StructuredType {
  kind: "entity" | "complex";
  base?: string;
  abstract?: boolean;
  hasStream?: boolean;
  /** Structural properties by name. */
  props: Record<string, TypeRef>;
  /** Navigation properties by name. */
  navs: Record<string, TypeRef>;
}

export interface Operation {
  kind: "action" | "function";
  /** The binding parameter's type; the operation can follow a segment of exactly this shape. */
  binding: TypeRef;
  /** Parameter names other than the binding parameter. */
  params: string[];
  returns?: TypeRef;
}

export interface GraphModel {
  /** Entity and complex types by qualified name, e.g. "microsoft.graph.driveItem". */
  types: Record<string, StructuredType>;
  entitySets: Record<string, string>;
  singletons: Record<string, string>;
  /** Bound operations by name (unqualified, as Graph URLs use them). */
  operations: Record<string, Operation[]>;
  /** Unbound action and function imports of the container, by name. */
  imports: Record<string, Operation>;
  /** Annotation terms by qualified name, with the types they apply to. */
  terms: Record<string, string[]>;
}

interface Tag {
  close: boolean;
  name: string;
  attrs: Record<string, string>;
  selfClosing: boolean;
}

const TAG = /<(\/?)([A-Za-z_][\w:.-]*)((?:\s+[\w:.-]+\s*=\s*"[^"]*")*)\s*(\/?)>|<!--[\s\S]*?-->/g;
const ATTR = /([\w:.-]+)\s*=\s*"([^"]*)"/g;

function* tags(xml: string): Generator<Tag> {
  for (const m of xml.matchAll(TAG)) {
    if (m[2] === undefined) continue; // a comment
    const attrs: Record<string, string> = {};
    for (const a of (m[3] ?? "").matchAll(ATTR)) attrs[a[1]!] = a[2]!;
    yield { close: m[1] === "/", name: m[2], attrs, selfClosing: m[4] === "/" };
  }
}

/** Parses the CSDL text into the model (no cache). */
export function parseCsdl(xml: string): GraphModel {
  const model: GraphModel = {
    types: {},
    entitySets: {},
    singletons: {},
    operations: {},
    imports: {},
    terms: {},
  };
  // Names are kept as written while reading; aliases ("graph.") are expanded once all are known.
  const aliases = new Map<string, string>();
  const ref = (raw: string): TypeRef => {
    const m = /^Collection\((.*)\)$/.exec(raw);
    return { type: m ? m[1]! : raw, collection: m !== null };
  };
  let namespace = "";
  let current: StructuredType | null = null;
  let operation: { op: Operation; bound: boolean; first: boolean } | null = null;
  const unbound = new Map<string, Operation>();
  const importTargets: Array<{ name: string; target: string }> = [];
  let inContainer = false;

  for (const tag of tags(xml)) {
    const { name, attrs } = tag;
    if (tag.close) {
      if (name === "EntityType" || name === "ComplexType") current = null;
      else if (name === "Action" || name === "Function") operation = null;
      else if (name === "EntityContainer") inContainer = false;
      continue;
    }
    switch (name) {
      case "Schema":
        namespace = attrs.Namespace ?? "";
        if (attrs.Alias) aliases.set(attrs.Alias, namespace);
        break;
      case "EntityType":
      case "ComplexType": {
        const t: StructuredType = {
          kind: name === "EntityType" ? "entity" : "complex",
          props: {},
          navs: {},
        };
        if (attrs.BaseType) t.base = attrs.BaseType;
        if (attrs.Abstract === "true") t.abstract = true;
        if (attrs.HasStream === "true") t.hasStream = true;
        model.types[`${namespace}.${attrs.Name}`] = t;
        current = tag.selfClosing ? null : t;
        break;
      }
      case "Property":
        if (current && attrs.Name && attrs.Type) current.props[attrs.Name] = ref(attrs.Type);
        break;
      case "NavigationProperty":
        if (current && attrs.Name && attrs.Type) current.navs[attrs.Name] = ref(attrs.Type);
        break;
      case "Action":
      case "Function": {
        const op: Operation = {
          kind: name === "Action" ? "action" : "function",
          binding: { type: "", collection: false },
          params: [],
        };
        const bound = attrs.IsBound === "true";
        if (bound) (model.operations[attrs.Name ?? ""] ??= []).push(op);
        else unbound.set(`${namespace}.${attrs.Name}`, op);
        operation = tag.selfClosing ? null : { op, bound, first: true };
        break;
      }
      case "Parameter":
        if (operation && attrs.Type) {
          if (operation.first && operation.bound) operation.op.binding = ref(attrs.Type);
          else if (attrs.Name) operation.op.params.push(attrs.Name);
          operation.first = false;
        }
        break;
      case "ReturnType":
        if (operation && attrs.Type) operation.op.returns = ref(attrs.Type);
        break;
      case "EntityContainer":
        inContainer = true;
        break;
      case "EntitySet":
        if (inContainer && attrs.Name && attrs.EntityType) {
          model.entitySets[attrs.Name] = attrs.EntityType;
        }
        break;
      case "Singleton":
        if (inContainer && attrs.Name && attrs.Type) model.singletons[attrs.Name] = attrs.Type;
        break;
      case "ActionImport":
      case "FunctionImport":
        if (inContainer && attrs.Name) {
          importTargets.push({ name: attrs.Name, target: attrs.Action ?? attrs.Function ?? "" });
        }
        break;
      case "Term":
        if (attrs.Name) {
          // One AppliesTo in the file carries a stray ")"; read through it.
          model.terms[`${namespace}.${attrs.Name}`] = (attrs.AppliesTo ?? "")
            .split(/\s+/)
            .filter(Boolean)
            .map((t) => t.replace(/\)$/, ""));
        }
        break;
    }
  }

  const qualify = (raw: string): string => {
    const dot = raw.lastIndexOf(".");
    if (dot < 0) return raw;
    const alias = aliases.get(raw.slice(0, dot));
    return alias ? `${alias}${raw.slice(dot)}` : raw;
  };
  const fix = (r: TypeRef | undefined) => {
    if (r) r.type = qualify(r.type);
  };
  for (const t of Object.values(model.types)) {
    if (t.base) t.base = qualify(t.base);
    Object.values(t.props).forEach(fix);
    Object.values(t.navs).forEach(fix);
  }
  const fixOperation = (op: Operation) => {
    fix(op.binding);
    fix(op.returns);
  };
  Object.values(model.operations).forEach((list) => list.forEach(fixOperation));
  unbound.forEach(fixOperation);
  for (const [k, v] of Object.entries(model.entitySets)) model.entitySets[k] = qualify(v);
  for (const [k, v] of Object.entries(model.singletons)) model.singletons[k] = qualify(v);
  for (const { name, target } of importTargets) {
    const op = unbound.get(qualify(target));
    if (op) model.imports[name] = op;
  }
  for (const [term, applies] of Object.entries(model.terms)) {
    model.terms[term] = applies.map(qualify);
  }
  return model;
}

function cacheDir(): string {
  return resolve(dirname(fileURLToPath(import.meta.url)), "../../node_modules/.cache/graph-csdl");
}

const loaded = new Map<string, GraphModel>();

/**
 * The model of the CSDL at `path`: from memory, else from the JSON cache keyed by the file's
 * SHA-256, else parsed (and cached).
 */
export function loadGraphModel(path: string = DEFAULT_CSDL_PATH): GraphModel {
  let xml: Buffer;
  try {
    xml = readFileSync(path);
  } catch (error) {
    throw new Error(
      `Graph's v1.0 metadata is not at ${path}: put Microsoft's v1.0-Prod.csdl there ` +
        "(msgraph-metadata, schemas/v1.0-Prod.csdl) or set SEPT_GRAPH_CSDL to its path.",
      { cause: error },
    );
  }
  const hash = createHash("sha256").update(xml).digest("hex").slice(0, 32);
  const inMemory = loaded.get(hash);
  if (inMemory) return inMemory;
  const cached = join(cacheDir(), `${hash}.json`);
  let model: GraphModel;
  try {
    model = JSON.parse(readFileSync(cached, "utf8")) as GraphModel;
  } catch {
    model = parseCsdl(xml.toString("utf8"));
    try {
      mkdirSync(cacheDir(), { recursive: true });
      writeFileSync(cached, JSON.stringify(model));
    } catch {
      // A read-only checkout still works, just without the cache.
    }
  }
  loaded.set(hash, model);
  return model;
}

/** The type and its base types, most derived first. */
export function typeChain(model: GraphModel, type: string): string[] {
  const chain: string[] = [];
  for (let t: string | undefined = type; t && !chain.includes(t); t = model.types[t]?.base) {
    chain.push(t);
  }
  return chain;
}

/** Whether `type` is `ancestor` or derives from it. */
export function derivesFrom(model: GraphModel, type: string, ancestor: string): boolean {
  return typeChain(model, type).includes(ancestor);
}
