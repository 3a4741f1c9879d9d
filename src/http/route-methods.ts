// Which methods the router serves on a path, for requests it does not serve: a known path with another method
// is 405 with `Allow` (RFC 9110 §15.5.6), or for OPTIONS 204 with `Allow` (§9.3.7); an unknown path stays 404.
// Worked out from the router's own table, so it cannot drift from the routes.

interface Route {
  method: string;
  path: string;
}

interface Pattern {
  segments: string[];
  methods: Set<string>;
}

const segmentsOf = (path: string) => path.split("/").filter((s) => s !== "");

function matches(pattern: string[], path: string[]): boolean {
  for (let i = 0; i < pattern.length; i++) {
    const p = pattern[i] as string;
    if (p === "*") return true;
    if (i >= path.length) return false;
    if (p.startsWith(":")) continue;
    if (p !== path[i]) return false;
  }
  return pattern.length === path.length;
}

export class RouteMethods {
  private readonly patterns: Pattern[];

  constructor(routes: readonly Route[]) {
    const byPath = new Map<string, Pattern>();
    for (const { method, path } of routes) {
      const key = segmentsOf(path).join("/");
      let pattern = byPath.get(key);
      if (!pattern) byPath.set(key, (pattern = { segments: segmentsOf(path), methods: new Set() }));
      pattern.methods.add(method);
      // A GET route answers HEAD too.
      if (method === "GET") pattern.methods.add("HEAD");
    }
    this.patterns = [...byPath.values()];
  }

  /** The methods served on this path name (URL-encoded, as in the request), sorted; empty for an unknown path. */
  allowed(pathname: string): string[] {
    const path = segmentsOf(pathname);
    const methods = new Set<string>();
    for (const p of this.patterns) if (matches(p.segments, path)) for (const m of p.methods) methods.add(m);
    if (methods.size > 0) methods.add("OPTIONS");
    return [...methods].sort();
  }
}

export type Unserved = { status: 404 } | { status: 204 | 405; allow: string };

/** How to answer a request the router found no route for. */
export function unserved(routes: RouteMethods, request: Request): Unserved {
  const allowed = routes.allowed(new URL(request.url).pathname);
  // A served method on a path the router still missed (a trailing slash, say) is not a method problem.
  if (allowed.length === 0 || (request.method !== "OPTIONS" && allowed.includes(request.method))) return { status: 404 };
  return { status: request.method === "OPTIONS" ? 204 : 405, allow: allowed.join(", ") };
}
