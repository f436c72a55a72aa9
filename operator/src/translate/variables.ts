/** `#Name#` environment variables (Huawei §6): substituted per environment, missing ones reported. */
const VARIABLE = /#([A-Za-z][A-Za-z0-9_-]*)#/g;

export type Substituted = { readonly ok: true; readonly value: string } | { readonly ok: false; readonly missing: readonly string[] };

export function substitute(text: string, variables: Readonly<Record<string, string>>): Substituted {
  const missing: string[] = [];
  const value = text.replace(VARIABLE, (whole, name: string) => {
    const found = Object.prototype.hasOwnProperty.call(variables, name) ? variables[name] : undefined;
    if (found === undefined) missing.push(name);
    return found ?? whole;
  });
  return missing.length === 0 ? { ok: true, value } : { ok: false, missing: [...new Set(missing)] };
}

/** `host`, `host:port`, `[v6]`, `[v6]:port` → host and port (default by scheme). */
export function splitHostPort(text: string, defaultPort: number): { host: string; port: number } | undefined {
  const match = /^(?:\[([0-9A-Fa-f:.]+)\]|([^:[\]]+))(?::(\d{1,5}))?$/.exec(text);
  if (match === null) return undefined;
  const host = match[1] ?? match[2] ?? '';
  const port = match[3] === undefined ? defaultPort : Number(match[3]);
  return port >= 1 && port <= 65535 && host !== '' ? { host: host.toLowerCase(), port } : undefined;
}
