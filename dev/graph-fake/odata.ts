// The few OData query options the fake understands.
import { GraphError } from "./errors.js";

/** `$select` as a list of property names, or null when absent. */
export function parseSelect(query: URLSearchParams): string[] | null {
  const raw = query.get("$select");
  if (raw === null) return null;
  const fields = raw
    .split(",")
    .map((f) => f.trim())
    .filter(Boolean);
  return fields.length > 0 ? fields : null;
}

export function parseNonNegativeInt(
  query: URLSearchParams,
  name: string,
  fallback: number,
): number {
  const raw = query.get(name);
  if (raw === null) return fallback;
  if (!/^\d+$/.test(raw.trim())) {
    throw new GraphError(400, "BadRequest", `Invalid value '${raw}' for query option '${name}'.`);
  }
  return Number(raw.trim());
}

export interface OrderBy {
  field: string;
  desc: boolean;
}

export function parseOrderBy(
  query: URLSearchParams,
  allowed: readonly string[],
  errorCode: string,
): OrderBy | null {
  const raw = query.get("$orderby");
  if (raw === null || raw.trim() === "") return null;
  const m = /^\s*([A-Za-z]+)(?:\s+(asc|desc))?\s*$/i.exec(raw);
  const field = m?.[1];
  const match = field ? allowed.find((a) => a.toLowerCase() === field.toLowerCase()) : undefined;
  if (!m || !match) {
    throw new GraphError(400, errorCode, `The $orderby value '${raw}' is not supported.`);
  }
  return { field: match, desc: (m[2] ?? "asc").toLowerCase() === "desc" };
}

/** Keeps only the selected properties, plus the ones that always come back. */
export function pick(
  obj: Record<string, unknown>,
  select: string[] | null,
  always: readonly string[] = [],
): Record<string, unknown> {
  if (!select) return obj;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(obj)) {
    if (always.includes(key) || select.includes(key)) out[key] = obj[key];
  }
  return out;
}
