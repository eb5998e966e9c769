// Graph error bodies. Callers branch on `code` (and the nested innerError code), never on the
// message, so codes follow the contract exactly: PascalCase for mail, camelCase for drive.

export class GraphError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly innerCode?: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = "GraphError";
  }
}

export interface ErrorBody {
  error: {
    code: string;
    message: string;
    innerError: {
      code?: string;
      date: string;
      "request-id": string;
      "client-request-id": string;
    };
  };
}

export function isoSeconds(date: Date = new Date()): string {
  return date.toISOString().replace(/\.\d{3}Z$/, "Z");
}

export function errorBody(
  code: string,
  message: string,
  requestId: string,
  clientRequestId: string,
  innerCode?: string,
): ErrorBody {
  return {
    error: {
      code,
      message,
      innerError: {
        ...(innerCode ? { code: innerCode } : {}),
        date: isoSeconds(),
        "request-id": requestId,
        "client-request-id": clientRequestId,
      },
    },
  };
}

// Shorthands for the errors every area raises.
export const driveErrors = {
  notFound: (what = "The resource could not be found.") =>
    new GraphError(404, "itemNotFound", what),
  invalid: (message: string, innerCode?: string) =>
    new GraphError(400, "invalidRequest", message, innerCode),
  conflict: (message = "An item with the same name already exists under the parent.") =>
    new GraphError(409, "nameAlreadyExists", message),
  preconditionFailed: () =>
    new GraphError(412, "resourceModified", "ETag does not match current item's value"),
  quota: () => new GraphError(507, "quotaLimitReached", "Insufficient Space Available"),
  accessDenied: (message = "Access denied") => new GraphError(403, "accessDenied", message),
};

export const mailErrors = {
  notFound: () =>
    new GraphError(404, "ErrorItemNotFound", "The specified object was not found in the store."),
  malformedId: () => new GraphError(400, "ErrorInvalidIdMalformed", "Id is malformed."),
};
