// Pure functions over the add-in's XML manifest, shared by the webpack build (which rewrites the
// development URLs) and scripts/validate-manifest.ts (which checks what it reads).
// No XML dependency: the manifest is ours and well-formed, so a small tokenizer is enough, and
// rewriting works on the text so the file's layout and comments survive the build.

/** The origin every URL in the checked-in manifest uses; the build rewrites it. */
export const MANIFEST_DEV_BASE_URL = "https://localhost:3000";

export interface TransformOptions {
  /** Where the add-in is hosted, e.g. https://outlook.septsoftware.com; a trailing slash is ok. */
  baseUrl: string;
  /** Manifest Version, e.g. 1.2.0.0; left unchanged when absent. */
  version?: string;
}

export interface XmlElement {
  /** Qualified name as written, e.g. "bt:Image". */
  name: string;
  /** Name without its namespace prefix, e.g. "Image". */
  localName: string;
  attributes: Record<string, string>;
  children: XmlElement[];
  /** Concatenated text directly inside this element, entity-decoded and trimmed. */
  text: string;
}

export interface ManifestUrl {
  url: string;
  /** Where it was found, e.g. "OfficeApp/IconUrl@DefaultValue". */
  where: string;
}

export interface ManifestIcon {
  url: string;
  /** Pixel size the manifest declares for it (IconUrl is 64, HighResolutionIconUrl 128). */
  size: number;
  where: string;
}

export interface RequirementSet {
  name: string;
  minVersion: string | undefined;
  /** "manifest" for the top-level Requirements, else the VersionOverrides xsi:type. */
  scope: string;
}

export interface ManifestButton {
  id: string;
  /** The VersionOverrides xsi:type the button is declared in. */
  scope: string;
  extensionPoint: string;
  actionType: string | undefined;
  sourceLocation: string | undefined;
  supportsPinning: boolean;
}

export interface WebApplicationInfoFacts {
  id: string | undefined;
  resource: string | undefined;
  scopes: string[];
}

export interface ManifestFacts {
  id: string | undefined;
  version: string | undefined;
  providerName: string | undefined;
  defaultLocale: string | undefined;
  displayName: string | undefined;
  /** Locales with a DisplayName override. */
  displayNameLocales: string[];
  permissions: string | undefined;
  supportUrl: string | undefined;
  appDomains: string[];
  hosts: string[];
  /** Every absolute URL in the manifest, except WebApplicationInfo/Resource (an identifier). */
  urls: ManifestUrl[];
  icons: ManifestIcon[];
  requirementSets: RequirementSet[];
  buttons: ManifestButton[];
  /** resid references that name no resource of their VersionOverrides block. */
  danglingResids: string[];
  /** The first WebApplicationInfo found, if any. */
  webApplicationInfo: WebApplicationInfoFacts | undefined;
}

// ---- Tokenizer ----------------------------------------------------------------------------

const ENTITIES: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'" };

function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#[0-9]+|[a-z]+);/gi, (whole, ref: string) => {
    if (ref.startsWith("#x") || ref.startsWith("#X")) {
      return String.fromCodePoint(parseInt(ref.slice(2), 16));
    }
    if (ref.startsWith("#")) return String.fromCodePoint(parseInt(ref.slice(1), 10));
    return ENTITIES[ref] ?? whole;
  });
}

function escapeXml(text: string): string {
  return text
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;");
}

function parseAttributes(source: string): Record<string, string> {
  const attributes: Record<string, string> = {};
  for (const match of source.matchAll(/([^\s=/]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g)) {
    attributes[match[1]!] = decodeEntities(match[2] ?? match[3] ?? "");
  }
  return attributes;
}

function newElement(name: string, attributes: Record<string, string>): XmlElement {
  const colon = name.indexOf(":");
  return {
    name,
    localName: colon < 0 ? name : name.slice(colon + 1),
    attributes,
    children: [],
    text: "",
  };
}

// One alternative per kind of token; the capture groups are, in order: CDATA text, closing tag
// name, opening tag name, its attributes, "/" if self-closing, plain text.
const XML_TOKEN = new RegExp(
  [
    /<!--[\s\S]*?-->/.source, // comment
    /<\?[\s\S]*?\?>/.source, // processing instruction
    /<!\[CDATA\[([\s\S]*?)\]\]>/.source,
    /<![^>]*>/.source, // DOCTYPE
    /<\/\s*([^\s>]+)\s*>/.source,
    /<([^\s/>]+)((?:\s+[^\s=/>]+\s*=\s*(?:"[^"]*"|'[^']*'))*)\s*(\/?)>/.source,
    /([^<]+)/.source,
  ].join("|"),
  "g",
);

/**
 * Parses well-formed XML into an element tree. Comments, processing instructions and the DOCTYPE
 * are skipped; CDATA counts as text. Throws on mismatched or unclosed tags.
 */
export function parseXml(xml: string): XmlElement {
  const stack: XmlElement[] = [];
  let root: XmlElement | undefined;
  let expectedIndex = 0;
  for (const match of xml.matchAll(XML_TOKEN)) {
    // matchAll skips what no alternative matches: a gap means a malformed tag.
    if (match.index !== expectedIndex) {
      throw new Error(`XML is malformed near "${xml.slice(expectedIndex, expectedIndex + 40)}"`);
    }
    expectedIndex = match.index + match[0].length;
    const [, cdata, closeName, openName, attributeSource, selfClosing, text] = match;
    const parent = stack[stack.length - 1];
    if (text !== undefined || cdata !== undefined) {
      if (parent) parent.text += text !== undefined ? decodeEntities(text) : cdata;
    } else if (openName !== undefined) {
      const element = newElement(openName, parseAttributes(attributeSource ?? ""));
      if (parent) parent.children.push(element);
      else if (root) throw new Error(`XML has more than one root element (<${openName}>)`);
      else root = element;
      if (selfClosing !== "/") stack.push(element);
    } else if (closeName !== undefined) {
      const open = stack.pop();
      if (open?.name !== closeName) {
        throw new Error(`XML closes <${closeName}> but <${open?.name ?? "nothing"}> is open`);
      }
    }
  }
  if (expectedIndex !== xml.length) {
    throw new Error(`XML is malformed near "${xml.slice(expectedIndex, expectedIndex + 40)}"`);
  }
  if (stack.length > 0) throw new Error(`XML ends with <${stack[stack.length - 1]!.name}> open`);
  if (!root) throw new Error("XML has no root element");
  trimText(root);
  return root;
}

function trimText(element: XmlElement): void {
  element.text = element.text.trim();
  element.children.forEach(trimText);
}

// ---- Tree queries -------------------------------------------------------------------------

function child(element: XmlElement | undefined, localName: string): XmlElement | undefined {
  return element?.children.find((c) => c.localName === localName);
}

function children(element: XmlElement | undefined, localName: string): XmlElement[] {
  return element?.children.filter((c) => c.localName === localName) ?? [];
}

/** Every element below `element` (depth first), with its path of local names. */
function* walk(element: XmlElement, path = element.localName): Generator<[XmlElement, string]> {
  yield [element, path];
  for (const c of element.children) yield* walk(c, `${path}/${c.localName}`);
}

function xsiType(element: XmlElement): string | undefined {
  return element.attributes["xsi:type"];
}

// ---- Facts --------------------------------------------------------------------------------

const ABSOLUTE_URL = /^[a-z][a-z0-9+.-]*:\/\//i;

function collectUrls(root: XmlElement): ManifestUrl[] {
  const urls: ManifestUrl[] = [];
  for (const [element, path] of walk(root)) {
    // Resource is an Application ID URI (api://...), a name rather than a place anyone fetches.
    if (element.localName === "Resource" && path.includes("WebApplicationInfo")) continue;
    for (const [attribute, value] of Object.entries(element.attributes)) {
      if (attribute.startsWith("xmlns")) continue; // namespace names are identifiers too
      if (ABSOLUTE_URL.test(value)) urls.push({ url: value, where: `${path}@${attribute}` });
    }
    if (ABSOLUTE_URL.test(element.text)) urls.push({ url: element.text, where: path });
  }
  return urls;
}

/** Resource ids (bt:Image/bt:Url) to their DefaultValue, within one VersionOverrides block. */
function resourceTable(versionOverrides: XmlElement, group: string): Map<string, string> {
  const table = new Map<string, string>();
  for (const entry of child(child(versionOverrides, "Resources"), group)?.children ?? []) {
    const id = entry.attributes.id;
    const value = entry.attributes.DefaultValue;
    if (id !== undefined && value !== undefined) table.set(id, value);
  }
  return table;
}

/** VersionOverrides elements, outermost first, each with its xsi:type. */
function versionOverridesBlocks(root: XmlElement): XmlElement[] {
  const blocks: XmlElement[] = [];
  let current = child(root, "VersionOverrides");
  while (current) {
    blocks.push(current);
    current = child(current, "VersionOverrides");
  }
  return blocks;
}

function topLevelIcons(root: XmlElement): ManifestIcon[] {
  const declared: [string, number][] = [
    ["IconUrl", 64],
    ["HighResolutionIconUrl", 128],
  ];
  return declared.flatMap(([name, size]) => {
    const url = child(root, name)?.attributes.DefaultValue;
    return url === undefined ? [] : [{ url, size, where: `OfficeApp/${name}` }];
  });
}

/** Elements under the block's own Hosts: a nested VersionOverrides is reported as its own block. */
function* hostElements(block: XmlElement): Generator<XmlElement> {
  for (const host of children(child(block, "Hosts"), "Host")) {
    for (const [element] of walk(host)) yield element;
  }
}

function buttonIcons(block: XmlElement): ManifestIcon[] {
  const images = resourceTable(block, "Images");
  const scope = xsiType(block) ?? "VersionOverrides";
  const icons: ManifestIcon[] = [];
  for (const element of hostElements(block)) {
    if (element.localName !== "Icon") continue;
    for (const image of children(element, "Image")) {
      const resid = image.attributes.resid ?? "";
      const url = images.get(resid);
      if (url === undefined) continue; // reported by danglingResids
      icons.push({ url, size: Number(image.attributes.size), where: `${scope}/${resid}` });
    }
  }
  return icons;
}

/** resid references with no matching resource in the same block (Outlook refuses the manifest). */
function danglingResids(block: XmlElement): string[] {
  const resources = child(block, "Resources");
  const known = new Set(
    (resources?.children ?? []).flatMap((group) => group.children.map((r) => r.attributes.id)),
  );
  const scope = xsiType(block) ?? "VersionOverrides";
  const dangling: string[] = [];
  for (const element of hostElements(block)) {
    const resid = element.attributes.resid;
    if (resid !== undefined && !known.has(resid)) dangling.push(`${scope}: ${resid}`);
  }
  return dangling;
}

function requirementSets(root: XmlElement, blocks: XmlElement[]): RequirementSet[] {
  const topLevel = children(child(child(root, "Requirements"), "Sets"), "Set").map((set) => ({
    name: set.attributes.Name ?? "",
    minVersion: set.attributes.MinVersion,
    scope: "manifest",
  }));
  const overrides = blocks.flatMap((block) => {
    const sets = child(child(block, "Requirements"), "Sets");
    return children(sets, "Set").map((set) => ({
      name: set.attributes.Name ?? "",
      minVersion: set.attributes.MinVersion ?? sets?.attributes.DefaultMinVersion,
      scope: xsiType(block) ?? "VersionOverrides",
    }));
  });
  return [...topLevel, ...overrides];
}

function buttons(block: XmlElement): ManifestButton[] {
  const urls = resourceTable(block, "Urls");
  const scope = xsiType(block) ?? "VersionOverrides";
  const found: ManifestButton[] = [];
  for (const extensionPoint of hostElements(block)) {
    if (extensionPoint.localName !== "ExtensionPoint") continue;
    for (const [control] of walk(extensionPoint)) {
      if (control.localName !== "Control" || xsiType(control) !== "Button") continue;
      const action = child(control, "Action");
      const resid = child(action, "SourceLocation")?.attributes.resid;
      found.push({
        id: control.attributes.id ?? "",
        scope,
        extensionPoint: xsiType(extensionPoint) ?? "",
        actionType: action && xsiType(action),
        sourceLocation: resid === undefined ? undefined : urls.get(resid),
        supportsPinning: child(action, "SupportsPinning")?.text === "true",
      });
    }
  }
  return found;
}

function webApplicationInfo(root: XmlElement): WebApplicationInfoFacts | undefined {
  for (const [element] of walk(root)) {
    if (element.localName !== "WebApplicationInfo") continue;
    return {
      id: child(element, "Id")?.text,
      resource: child(element, "Resource")?.text,
      scopes: children(child(element, "Scopes"), "Scope").map((scope) => scope.text),
    };
  }
  return undefined;
}

/** Reads what the semantic checks need from a manifest's XML. Throws if it is not well-formed. */
export function readManifestFacts(xml: string): ManifestFacts {
  const root = parseXml(xml);
  if (root.localName !== "OfficeApp") {
    throw new Error(`root element is <${root.name}>, expected <OfficeApp>`);
  }
  const blocks = versionOverridesBlocks(root);
  const displayName = child(root, "DisplayName");
  return {
    id: child(root, "Id")?.text,
    version: child(root, "Version")?.text,
    providerName: child(root, "ProviderName")?.text,
    defaultLocale: child(root, "DefaultLocale")?.text,
    displayName: displayName?.attributes.DefaultValue,
    displayNameLocales: children(displayName, "Override").map((o) => o.attributes.Locale ?? ""),
    permissions: child(root, "Permissions")?.text,
    supportUrl: child(root, "SupportUrl")?.attributes.DefaultValue,
    appDomains: children(child(root, "AppDomains"), "AppDomain").map((d) => d.text),
    hosts: children(child(root, "Hosts"), "Host").map((h) => h.attributes.Name ?? ""),
    urls: collectUrls(root),
    icons: [...topLevelIcons(root), ...blocks.flatMap(buttonIcons)],
    requirementSets: requirementSets(root, blocks),
    buttons: blocks.flatMap(buttons),
    danglingResids: blocks.flatMap(danglingResids),
    webApplicationInfo: webApplicationInfo(root),
  };
}

// ---- Transform ----------------------------------------------------------------------------

const MANIFEST_VERSION = /^[0-9]{1,5}(\.[0-9]{1,5}){0,3}$/;

function checkOptions(opts: TransformOptions): void {
  let base: URL;
  try {
    base = new URL(opts.baseUrl);
  } catch {
    throw new Error(`baseUrl is not a URL: "${opts.baseUrl}"`);
  }
  if (base.protocol !== "https:")
    throw new Error(`baseUrl must be https://, got "${opts.baseUrl}"`);
  if (opts.version !== undefined && !MANIFEST_VERSION.test(opts.version)) {
    throw new Error(`version must look like 1.2.3.4, got "${opts.version}"`);
  }
}

/**
 * Rewrites the development manifest for a deployment: every https://localhost:3000 URL moves to
 * baseUrl, and Version is set when given. The client id is not in the manifest: nested app
 * authentication takes it from the pane's build configuration.
 */
export function transformManifest(xml: string, opts: TransformOptions): string {
  checkOptions(opts);
  const baseUrl = escapeXml(opts.baseUrl.replace(/\/+$/, ""));
  let out = xml.split(MANIFEST_DEV_BASE_URL).join(baseUrl);
  if (opts.version !== undefined) {
    // The first <Version> is OfficeApp's: nothing precedes it that could also be called Version.
    out = out.replace(/<Version>[^<]*<\/Version>/, `<Version>${opts.version}</Version>`);
  }
  return out;
}
