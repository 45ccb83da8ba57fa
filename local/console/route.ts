/**
 * The console server's routes: a method, a path pattern whose `:name` segments become
 * parameters, and a handler that answers JSON or a file. Every feature's routes are listed in
 * console-routes.ts; a caller may add its own through `startConsoleServer`'s `extraRoutes`.
 */
export interface Route {
  method: 'GET' | 'POST';
  /**
   * `/api/systems/:system/models/:model`: each `:name` matches one URL segment; a last segment
   * `*` matches the rest of the path (one segment or more, undecoded) as the parameter `*`.
   */
  path: string;
  handle(request: RouteRequest): Promise<RouteAnswer>;
}

export interface RouteRequest {
  /** Decoded path parameters by name. */
  params: Readonly<Record<string, string>>;
  url: URL;
  /** The JSON body of a POST (undefined when there is none); malformed JSON is a 400 before this. */
  body: unknown;
}

export type RouteAnswer = { status?: number; json: unknown } | { status?: number; file: FileAnswer };

export interface FileAnswer {
  body: string | Uint8Array;
  contentType: string;
  /** Set: the browser saves it under this name (Content-Disposition: attachment). */
  downloadAs?: string;
  /** Further response headers, names in lower case (a pass-through's, as its function answered them). */
  headers?: Readonly<Record<string, string>>;
}

/** An answer other than 200 that the handler chose, with the message the page shows. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** The route and parameters for a request, or undefined when no route's path matches. */
export function matchRoute(
  routes: readonly Route[],
  method: string,
  pathname: string,
): { route: Route; params: Record<string, string> } | { allowed: string[] } | undefined {
  const segments = pathname.split('/').slice(1);
  const allowed: string[] = [];
  for (const route of routes) {
    const params = matchPath(route.path, segments);
    if (!params) continue;
    if (route.method === method) return { route, params };
    allowed.push(route.method);
  }
  return allowed.length > 0 ? { allowed } : undefined;
}

function matchPath(pattern: string, segments: string[]): Record<string, string> | undefined {
  const parts = pattern.split('/').slice(1);
  // A last part `*` takes the rest of the path, as it came (a pass-through forwards it as is).
  const rest = parts.at(-1) === '*';
  if (rest ? segments.length < parts.length : parts.length !== segments.length) return undefined;
  const params: Record<string, string> = {};
  for (const [i, part] of parts.entries()) {
    const segment = segments[i] ?? '';
    if (rest && i === parts.length - 1) params['*'] = segments.slice(i).join('/');
    else if (part.startsWith(':')) {
      let value: string;
      try {
        value = decodeURIComponent(segment);
      } catch {
        return undefined;
      }
      if (value === '') return undefined;
      params[part.slice(1)] = value;
    } else if (part !== segment) return undefined;
  }
  return params;
}
