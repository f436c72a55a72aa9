// docs/reference/errors.md, written from the catalog so the page cannot drift from what the gateway
// answers (reference-doc.test.ts compares them; UPDATE_GOLDEN=1 rewrites the page).
import { CATALOG, type CatalogEntry } from './catalog';

const HEADER = `<!-- Generated from xds-server/src/errors/catalog.ts: edit the catalog, then run
     UPDATE_GOLDEN=1 npx jest xds-server/src/errors --selectProjects unit -->
# Errors callers can get

Every refusal and failure the gateway answers itself carries Huawei APIG's body
([huawei-compatibility.md](../huawei-compatibility.md) §12):

\`\`\`json
{"error_code": "APIG.0303", "error_msg": "Incorrect app authentication information: app not found, appkey k-123", "request_id": "6f1c0e4c2b8a4d7e9f0a1b2c3d4e5f60"}
\`\`\`

\`request_id\` equals the response's \`X-Request-Id\` (32 hex digits; a request Envoy refuses before
it has an id gets a fresh one). Responses from your backend, and mock Apis' answers, pass
unchanged, whatever their status. A message with \`{placeholder}\` is completed per call, as the
"when" column says.

"Answered by" says which part of the gateway refuses the call: **Envoy** (routing, throttling,
access control, limits, backend failures) or the **authn filter** (app authentication and backend
signing, [authentication.md](../authentication.md)).

| code | status | \`error_msg\` | when | answered by |
|---|---|---|---|---|
`;

const row = (entry: CatalogEntry): string =>
  `| \`${entry.code}\` | ${entry.status} | \`${entry.message}\` | ${entry.when} | ${entry.answeredBy.join(', ')} |`;

export function errorsReference(): string {
  return `${HEADER}${CATALOG.map(row).join('\n')}\n`;
}
