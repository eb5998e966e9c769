// XSD validation in-process, with libxml2 compiled to WebAssembly (npm `libxml2-wasm`): the same
// library xmllint wraps, so the verdicts and messages are xmllint's, without a system package.
import { readFileSync } from "node:fs";
import { pathToFileURL } from "node:url";
import { XmlDocument, XmlLibError, XsdValidator, type ErrorDetail } from "libxml2-wasm";
// Not re-exported by the package index; the package has no "exports" map, so the deep import is
// its documented way in (see ../shared/office-manifest-schemas/README.md).
import { xmlRegisterFsInputProviders } from "libxml2-wasm/lib/nodejs.mjs";

export interface SchemaVerdict {
  valid: boolean;
  /** One line per problem, "file:line: message", as xmllint prints them. */
  errors: string[];
}

let fsProvidersRegistered = false;
const validators = new Map<string, XsdValidator>();

/** The root schema is loaded by file:// URL so that its relative `xs:import`s resolve. */
function validatorFor(rootSchemaPath: string): XsdValidator {
  const cached = validators.get(rootSchemaPath);
  if (cached) return cached;
  if (!fsProvidersRegistered) {
    xmlRegisterFsInputProviders();
    fsProvidersRegistered = true;
  }
  const schemaDoc = XmlDocument.fromBuffer(readFileSync(rootSchemaPath), {
    url: pathToFileURL(rootSchemaPath).href,
  });
  try {
    const validator = XsdValidator.fromDoc(schemaDoc);
    validators.set(rootSchemaPath, validator);
    return validator;
  } finally {
    // The compiled schema does not refer back to the parsed document.
    schemaDoc.dispose();
  }
}

function formatDetail(detail: ErrorDetail, fallbackFile: string): string {
  const file = detail.file ? decodeFileUrl(detail.file) : fallbackFile;
  const where = detail.line ? `${file}:${detail.line}` : file;
  return `${where}: ${detail.message.trim()}`;
}

function decodeFileUrl(file: string): string {
  return file.startsWith("file://") ? decodeURIComponent(new URL(file).pathname) : file;
}

function errorLines(error: unknown, file: string): string[] {
  const details = error instanceof XmlLibError ? error.details : [];
  if (details.length > 0) return details.map((detail) => formatDetail(detail, file));
  return [`${file}: ${error instanceof Error ? error.message.trim() : String(error)}`];
}

/**
 * Validates the XML file at `xmlPath` against the XSD at `rootSchemaPath`. A document that is not
 * well-formed is invalid too. Throws only when the schema itself cannot be read or compiled.
 */
export function validateXmlFile(xmlPath: string, rootSchemaPath: string): SchemaVerdict {
  const validator = validatorFor(rootSchemaPath);
  let doc: XmlDocument;
  try {
    doc = XmlDocument.fromBuffer(readFileSync(xmlPath), { url: pathToFileURL(xmlPath).href });
  } catch (error) {
    return { valid: false, errors: errorLines(error, xmlPath) };
  }
  try {
    validator.validate(doc);
    return { valid: true, errors: [] };
  } catch (error) {
    return { valid: false, errors: errorLines(error, xmlPath) };
  } finally {
    doc.dispose();
  }
}
