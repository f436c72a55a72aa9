/**
 * Api: the CEL rules of crds/turnpike.dev_apis.yaml in CRD order (the parameter rules are in
 * api-parameters.ts), then the checks the CRD leaves to the operator because CEL cannot afford
 * them: each {param} name once per path, and every {param} of a backend path a frontend parameter.
 */
import type { ApiAuth, ApiBackend, ApiSpec } from '../api/types';
import { cel, check, DNS_1035_LABEL, DNS_SUBDOMAIN, environmentRule, lowerAscii, size, type Loose, type Rule } from './common';
import { apiParameterRules } from './api-parameters';

const PATH_CHARACTERS = /^[A-Za-z0-9._~%!$&'()*+,;=:@/{}-]*$/;
const PATH_PARAMETER = /^\{[A-Za-z][A-Za-z0-9_.-]{0,31}\+?\}$/;
const BACKEND_PATH = /^([A-Za-z0-9._~%!$&'()*+,;=:@/-]|\{[A-Za-z][A-Za-z0-9_.-]{0,31}\+?\}|#[A-Za-z][A-Za-z0-9_-]{2,31}#)*$/;
const BACKEND_REFERENCE = /\{([A-Za-z][A-Za-z0-9_.-]{0,31})\+?\}/g;
const URL_HOST = /^(\[[0-9A-Fa-f:.]+\]|([A-Za-z0-9.-]|#[A-Za-z][A-Za-z0-9_-]{2,31}#)+)(:([0-9]{1,5}|#[A-Za-z][A-Za-z0-9_-]{2,31}#))?$/;
const HEADER_TOKEN = /^[A-Za-z0-9!#$%&*+.^_|~-]+$/;

type Headers = Readonly<Record<string, string>>;

/** The two backend-path rules, which the CRD declares (by YAML anchor) on service.path and url.path. */
const backendPathRules = (at: string): Rule[] => [
  cel<string>(at, "backend path must start with '/'", (self) => self.startsWith('/')),
  cel<string>(
    at,
    'backend path may contain only URL path characters, {param} references and #Name# environment variables (names 3-32 characters)',
    (self) => BACKEND_PATH.test(self),
  ),
];

/** Names of the whole-segment parameters of a frontend path ({id} and {rest+} give id and rest). */
export function pathParameterNames(path: string): string[] {
  return path
    .split('/')
    .filter((segment) => PATH_PARAMETER.test(segment))
    .map((segment) => segment.slice(1, segment.endsWith('+}') ? -2 : -1));
}

/** Each {param} name at most once per path: two values for one name are ambiguous. */
function duplicatePathParameters(path: string): [string, string][] {
  const names = pathParameterNames(path);
  const repeated = [...new Set(names.filter((name, index) => names.indexOf(name) !== index))];
  return repeated.map((name) => ['', `path: parameter {${name}} appears more than once; each {param} in a path needs its own name`]);
}

/** Every {name} in a backend path must be a parameter of the frontend: in the path or declared. */
function undeclaredBackendReferences(spec: Loose<ApiSpec>): [string, string][] {
  const known = new Set([...pathParameterNames(spec.path ?? ''), ...(spec.parameters ?? []).map((p) => p.name)]);
  const problems: [string, string][] = [];
  for (const [field, path] of [['.backend.service.path', spec.backend?.service?.path], ['.backend.url.path', spec.backend?.url?.path]] as const) {
    for (const name of new Set([...(path ?? '').matchAll(BACKEND_REFERENCE)].map((m) => m[1] ?? ''))) {
      if (!known.has(name)) problems.push([field, `backend path: {${name}} is not a parameter of the frontend; use it in path or declare it in parameters`]);
    }
  }
  return problems;
}

const portOf = (host: string): number => Number(host.slice(host.lastIndexOf(':') + 1));

export const apiRules: readonly Rule[] = [
  cel<ApiSpec>(
    '.spec',
    'path: {p+} is only allowed with matchMode Exact',
    (self) => !(self.path ?? '').includes('+}') || self.matchMode === undefined || self.matchMode === 'Exact',
    '.path',
  ),
  cel<ApiSpec>(
    '.spec',
    'auth.appCode: AppCode (simple authentication) is only accepted over HTTPS; set protocol to HTTPS or BOTH',
    (self) => self.auth?.appCode !== true || self.protocol !== 'HTTP',
    '.auth.appCode',
  ),
  cel<ApiSpec>(
    '.spec',
    'parameters: every PATH parameter must appear in path as {name} or {name+}',
    (self) => {
      const path = self.path ?? '';
      const name = (p: { readonly name?: string }): string => p.name ?? '';
      return (self.parameters ?? []).every((p) => p.in !== 'PATH' || path.includes(`{${name(p)}}`) || path.includes(`{${name(p)}+}`));
    },
    '.parameters',
  ),
  cel<string>('.spec.groupRef.name', "groupRef.name must be an ApiGroup name (a DNS label: lowercase letters, digits and '-')", (self) =>
    DNS_1035_LABEL.test(self),
  ),
  cel<string>('.spec.path', "path must start with '/'", (self) => self.startsWith('/')),
  cel<string>('.spec.path', "path: empty segments ('//') are not allowed", (self) => !self.includes('//')),
  cel<string>(
    '.spec.path',
    "path may contain only URL path characters (letters, digits and -._~%!$&'()*+,;=:@/) and {param} segments; no query string, fragment or spaces",
    (self) => PATH_CHARACTERS.test(self),
  ),
  cel<string>(
    '.spec.path',
    "path: a parameter must be a whole segment such as /users/{id}; '{' and '}' are not allowed inside a literal segment",
    (self) => self.split('/').every((s) => !(s.includes('{') || s.includes('}')) || (s.startsWith('{') && s.endsWith('}'))),
  ),
  cel<string>(
    '.spec.path',
    "path: parameter names must be 1-32 characters (a letter, then letters, digits, '_', '.' or '-'), written {name} or {name+}",
    (self) => self.split('/').every((s) => !(s.startsWith('{') && s.endsWith('}')) || PATH_PARAMETER.test(s)),
  ),
  cel<string>('.spec.path', 'path: {p+} is only allowed as the last segment', (self) => !self.includes('+}/')),
  cel<ApiAuth>(
    '.spec.auth',
    'auth.appCode (simple authentication) requires auth.type APP',
    (self) => self.appCode !== true || self.type === 'APP',
    '.appCode',
  ),
  ...apiParameterRules,
  cel<ApiBackend>(
    '.spec.backend',
    'backend: set exactly one of service, url or mock',
    (self) => [self.service, self.url, self.mock].filter((x) => x !== undefined).length === 1,
  ),
  cel<ApiBackend>(
    '.spec.backend',
    'backend.signatureKeyRef needs a service or url backend; mock responses are not signed',
    (self) => self.mock === undefined || self.signatureKeyRef === undefined,
    '.signatureKeyRef',
  ),
  cel<string>(
    '.spec.backend.service.name',
    "backend.service.name must be a Service name (lowercase letters, digits and '-', starting with a letter)",
    (self) => DNS_1035_LABEL.test(self),
  ),
  ...backendPathRules('.spec.backend.service.path'),
  cel<string>(
    '.spec.backend.url.host',
    'backend.url.host must be host[:port] (DNS name, IPv4 or [IPv6], #Name# variables allowed) without scheme or path',
    (self) => URL_HOST.test(self),
  ),
  cel<string>(
    '.spec.backend.url.host',
    'backend.url.host: port must be 1-65535',
    (self) => !/:[0-9]+$/.test(self) || (portOf(self) >= 1 && portOf(self) <= 65535),
  ),
  ...backendPathRules('.spec.backend.url.path'),
  cel<Headers>(
    '.spec.backend.mock.headers',
    "backend.mock.headers: header names must be HTTP tokens (letters, digits, '-') of at most 64 characters",
    (self) => Object.keys(self).every((k) => size(k) <= 64 && HEADER_TOKEN.test(k)),
  ),
  cel<Headers>(
    '.spec.backend.mock.headers',
    'backend.mock.headers must not set gateway headers (x-apig-*, x-turnpike-*, x-request-id)',
    (self) =>
      Object.keys(self).every((k) => !(lowerAscii(k).startsWith('x-apig-') || lowerAscii(k).startsWith('x-turnpike-') || lowerAscii(k) === 'x-request-id')),
  ),
  cel<string>('.spec.backend.signatureKeyRef.name', 'signatureKeyRef.name must be an object name (lowercase RFC 1123 subdomain)', (self) =>
    DNS_SUBDOMAIN.test(self),
  ),
  environmentRule('.spec.environments[]'),
  // Checks the CRD leaves to the operator.
  check<string>('.spec.path', 'each {param} name at most once in a path', duplicatePathParameters),
  check<ApiSpec>('.spec', 'every {param} of a backend path is a frontend parameter', undeclaredBackendReferences),
];
