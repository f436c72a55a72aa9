"""Behaviour of the authn module in the real Envoy (manual harness, see dataplane/README.md):
signed requests pass or fail as docs/authentication.md says, route metadata reaches the filter,
bodies are hashed, denials carry Huawei's body and the reply marker, app headers are set and
credentials stripped, backend requests are signed, configuration updates apply or are refused.
Prints one line per check and a closing 'N passed, N failed'; exits 1 on a failure."""
import hashlib
import http.client
import json
import re
import socket
import subprocess
import sys
import time
from datetime import datetime, timedelta, timezone

sys.dont_write_bytecode = True  # no __pycache__ beside the sources
import signer  # noqa: E402
from envoy_harness import DISABLED, FILTER, Envoy, facts  # noqa: E402

CLIENT = ("071fe245-9cf6-4d75-822d-c29945a1e06a", "c6e52419-2270-4cb8-8bd4-ae7fdd01dcd5")
OFFICIAL = ("QTWAOYTTINDUT2QVKYUC", "MFyfvK41ba2giqM7Uio6PznpdUKGpownRZlmVmHc")
BACKEND_KEY = ("gateway-key-01", "backend-secret-0123456789")
CODE = "A" * 60 + "+/=="
VPCS = "/v1/77b6a44cba5143ab91d13ab9a8ff44fd/vpcs"
MiB = 1024 * 1024


def config(client_secret=CLIENT[1]) -> str:
    return json.dumps({
        "max_body_bytes": 12 * MiB,
        "apps": [
            {"id": "team/client", "app_key": CLIENT[0], "app_secret": client_secret, "app_codes": [CODE],
             "grants": [{"kind": "API", "target": "team/orders", "environments": ["RELEASE"]},
                        {"kind": "API_GROUP", "target": "team/catalog", "environments": ["RELEASE"]}]},
            {"id": "huawei/official", "app_key": OFFICIAL[0], "app_secret": OFFICIAL[1],
             "grants": [{"kind": "API", "target": "huawei/vpcs", "environments": ["RELEASE"]}]},
        ],
        "signature_keys": [
            {"name": "team/backend", "type": "HMAC", "key": BACKEND_KEY[0], "secret": BACKEND_KEY[1]},
            {"name": "team/basic", "type": "BASIC", "key": "gateway", "secret": "p4ssw0rd!"},
        ],
    })


ORDERS = dict(api="team/orders", group="team/shop", environment="RELEASE", auth="APP", app_code="true")
SIGNED_REGEX = "^/signed/([^/]+)$"


def routes(cluster: str) -> list:
    to = {"cluster": cluster}
    return [
        {"match": {"prefix": VPCS}, "route": to,
         "metadata": facts(api="huawei/vpcs", group="huawei/vpc", environment="RELEASE", auth="APP")},
        {"match": {"prefix": "/orders"}, "route": to, "metadata": facts(**ORDERS)},
        {"match": {"prefix": "/catalog"}, "route": to, "metadata": facts(**{**ORDERS, "api": "team/list", "group": "team/catalog"})},
        {"match": {"prefix": "/ungranted"}, "route": to, "metadata": facts(**{**ORDERS, "api": "team/other"})},
        {"match": {"safe_regex": {"regex": SIGNED_REGEX}},
         "route": {**to, "host_rewrite_literal": "orders.internal:8443",
                   "regex_rewrite": {"pattern": {"regex": SIGNED_REGEX}, "substitution": "/api/v2/orders/\\1"}},
         "metadata": facts(api="team/open", group="team/shop", environment="RELEASE", auth="NONE",
                           signature_key="team/backend", backend_host="orders.internal:8443",
                           backend_path_regex=SIGNED_REGEX, backend_path_substitution="/api/v2/orders/\\1")},
        {"match": {"prefix": "/appsigned"}, "route": to, "metadata": facts(**ORDERS, signature_key="team/backend")},
        {"match": {"prefix": "/basic"}, "route": to, "metadata": facts(api="team/open", auth="NONE", signature_key="team/basic")},
        {"match": {"prefix": "/nokey"}, "route": to, "metadata": facts(api="team/open", auth="NONE", signature_key="team/gone")},
        {"match": {"prefix": "/broken"}, "route": to, "metadata": {"filter_metadata": {FILTER: {"auth": True, "api": "team/broken"}}}},
        {"match": {"prefix": "/disabled"}, "route": to, "metadata": facts(**ORDERS), "typed_per_filter_config": DISABLED},
        {"match": {"prefix": "/"}, "route": to},
    ]


results = {"passed": 0, "failed": 0}


def check(name: str, ok: bool, detail=""):
    results["passed" if ok else "failed"] += 1
    print(f"{'ok  ' if ok else 'FAIL'} {name}" + ("" if ok else f"\n     {detail}"))


class Reply:
    def __init__(self, status, headers, body):
        self.status, self.headers, self.body = status, headers, body

    def json(self):
        try:
            return json.loads(self.body)
        except ValueError:
            return {}

    def seen(self, name):
        """A header as the backend saw it (the echo backend's reply)."""
        for k, v in self.json().get("headers", []):
            if k == name:
                return v
        return None

    def __repr__(self):
        return f"{self.status} {self.body[:300]!r}"


def send(port, method, target, headers, body=b"") -> Reply:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    conn.putrequest(method, target, skip_host=True, skip_accept_encoding=True)
    for k, v in headers.items():
        conn.putheader(k, v)
    if body or method in ("POST", "PUT"):
        conn.putheader("Content-Length", str(len(body)))
    conn.endheaders()
    if body:
        conn.send(body)
    resp = conn.getresponse()
    data = resp.read()
    conn.close()
    return Reply(resp.status, dict(resp.getheaders()), data)


def signed(port, method, url, key=CLIENT, headers=None, body=b"", tamper=None, **kw) -> Reply:
    """Signs `url` (http://host/path?query) with the independent signer and sends it to Envoy."""
    hs = signer.sign(method, url, key[0], key[1], headers=headers, body=body, **kw)
    target = url.split("://", 1)[1]
    target = target[target.index("/"):]
    if tamper:
        method, target, hs, body = tamper(method, target, hs, body)
    return send(port, method, target, hs, body)


def denial(reply: Reply):
    j = reply.json()
    return reply.status, j.get("error_code"), j.get("error_msg", "")


def custom_signed(port, path, query, host, canonical_uri=None, canonical_query=None, key=CLIENT):
    """Signs with a canonical URI/query given explicitly (the Java and npm SDK forms)."""
    date = signer.sdk_date()
    hs = {"host": host, "x-sdk-date": date}
    lines = "".join(f"{n}:{hs[n]}\n" for n in sorted(hs))
    canonical = "\n".join(["GET", canonical_uri or signer.canonical_uri(path), canonical_query if canonical_query is not None else signer.canonical_query(query),
                           lines, "host;x-sdk-date", signer.EMPTY_SHA256])
    sig = signer.signature(key[1], date, canonical)
    hs["authorization"] = f"SDK-HMAC-SHA256 Access={key[0]}, SignedHeaders=host;x-sdk-date, Signature={sig}"
    return send(port, "GET", path + (f"?{query}" if query else ""), hs)


def raw(port, data: bytes) -> bytes:
    with socket.create_connection(("127.0.0.1", port), 5) as s:
        s.sendall(data)
        s.settimeout(5)
        out = b""
        try:
            while chunk := s.recv(65536):
                out += chunk
        except OSError:
            pass
        return out


def run(envoy: Envoy):
    small, big, tls = envoy.ports
    H = "http://api.example.com"

    # The documented vector: its 2019 date is refused with both times; re-signed now, it passes.
    official = signer.sign("GET", f"https://service.region.example.com{VPCS}?limit=2&marker=13551d6b-755d-4757-b956-536f674975c0",
                           OFFICIAL[0], OFFICIAL[1], {"Content-Type": "application/json", "X-Sdk-Date": "20191115T033655Z"})
    check("official vector signature reproduced by the harness signer", official["Authorization"].endswith("7be6668032f70418fcc22abc52071e57aff61b84a1d2381bb430d6870f4f6ebe"))
    r = send(small, "GET", f"{VPCS}?limit=2&marker=13551d6b-755d-4757-b956-536f674975c0", official)
    s, code, msg = denial(r)
    check("official vector (2019 date) → 401 signature expired", s == 401 and code == "APIG.0303" and msg.startswith(
        "Incorrect app authentication information: signature expired, signature time:20191115T033655Z,server time:"), r)
    vector_url = f"http://service.region.example.com{VPCS}?limit=2&marker=13551d6b-755d-4757-b956-536f674975c0"
    r = signed(small, "GET", vector_url, OFFICIAL, {"Content-Type": "application/json"})
    check("official vector request signed now → 200 with app headers", r.status == 200 and r.seen("x-turnpike-app-id") == "huawei/official"
          and r.seen("x-turnpike-app-name") == "official", r)
    check("the caller's Authorization is not forwarded on APP routes", r.status == 200 and r.seen("authorization") is None, r)

    # Tampering with anything signed → 401 verify signature fail, echoing the gateway's canonical request.
    def tampered(name, tamper, expect="verify signature fail, canonicalRequest:", body=b"", method="POST"):
        r = signed(small, method, f"{H}/orders/x?a=1&b=2", headers={"Content-Type": "application/json", "X-Custom": "v"}, body=body, tamper=tamper)
        s, code, msg = denial(r)
        check(f"tampered {name} → 401", s == 401 and code == "APIG.0303" and expect in msg, r)
        return msg
    replace = lambda k, v: lambda m, t, h, b: (m, t, {**h, k: v}, b)  # noqa: E731
    tampered("method", lambda m, t, h, b: ("PUT", t, h, b))
    tampered("path", lambda m, t, h, b: (m, t.replace("/orders/x", "/orders/y"), h, b))
    tampered("query value", lambda m, t, h, b: (m, t.replace("a=1", "a=2"), h, b))
    tampered("query name", lambda m, t, h, b: (m, t.replace("a=1", "c=1"), h, b))
    tampered("signed header host", replace("Host", "api.example.org"))
    tampered("signed header content-type", replace("Content-Type", "text/plain"))
    tampered("signed header x-custom", replace("X-Custom", "w"))
    tampered("body", lambda m, t, h, b: (m, t, h, b"other"), body=b"body")
    tampered("x-sdk-date (still within 15 min)", lambda m, t, h, b: (m, t, {**h, "X-Sdk-Date": signer.sdk_date(datetime.now(timezone.utc) - timedelta(seconds=5))}, b))
    tampered("signature", lambda m, t, h, b: (m, t, {**h, "Authorization": re.sub(r"Signature=(.)", lambda x: "Signature=" + ("0" if x.group(1) != "0" else "1"), h["Authorization"])}, b))
    tampered("key (unknown AppKey)", lambda m, t, h, b: (m, t, {**h, "Authorization": h["Authorization"].replace(CLIENT[0], "nobody-123")}, b), expect="app not found, appkey nobody-123")
    r = signed(small, "GET", f"{H}/orders/x?a=1", key=(CLIENT[0], "wrong-secret-000"))
    s, code, msg = denial(r)
    date = re.search(r"x-sdk-date:(\d{8}T\d{6}Z)", msg)
    expected_echo = f"canonicalRequest:GET|/orders/x/|a=1|host:api.example.com|x-sdk-date:{date.group(1) if date else '?'}||host;x-sdk-date|{signer.EMPTY_SHA256}"
    check("wrong secret → 401 echoing the canonical request exactly", s == 401 and msg.endswith(expected_echo), (r, expected_echo))
    old = signer.sdk_date(datetime.now(timezone.utc) - timedelta(minutes=16))
    r = signed(small, "GET", f"{H}/orders", headers={"X-Sdk-Date": old})
    check("X-Sdk-Date 16 minutes old → 401 signature expired", denial(r)[2].startswith(f"Incorrect app authentication information: signature expired, signature time:{old},server time:"), r)
    ahead = signer.sdk_date(datetime.now(timezone.utc) + timedelta(minutes=14))
    check("X-Sdk-Date 14 minutes ahead → 200", signed(small, "GET", f"{H}/orders", headers={"X-Sdk-Date": ahead}).status == 200)
    r = send(small, "GET", "/orders", {"Host": "api.example.com", "x-request-id": "harness-req-1"})
    check("no Authorization → 401 with Huawei's body, marker honoured", r.status == 401 and r.body == (
        b'{"error_code":"APIG.0303","error_msg":"Incorrect app authentication information: authorization header is missing or not SDK-HMAC-SHA256","request_id":"harness-req-1"}'), r)
    check("deny reply is application/json", r.headers.get("content-type") == "application/json", r.headers)

    # Grants per environment: Api and ApiGroup.
    check("ApiGroup grant → 200", signed(small, "GET", f"{H}/catalog/items").status == 200)
    r = signed(small, "GET", f"{H}/ungranted")
    check("ungranted Api → 403 APIG.0304", denial(r) == (403, "APIG.0304", "The app is not authorized to access the API."), r)

    # The + forms and the two SDK quirks.
    check("+ signed literally (Python/JS signers) → 200", signed(small, "GET", f"{H}/orders?q=a+b").status == 200)
    r = custom_signed(small, "/orders", "q=a+b", "api.example.com", canonical_query="q=a%20b")
    check("+ signed as a space (Go signers) → 200", r.status == 200, r)
    r = custom_signed(small, "/orders", "a=2&a=1&b=3", "api.example.com", canonical_query="a=2&a=1&b=3")
    check("Java SDK: repeated values in URL order → 200", r.status == 200, r)
    r = custom_signed(small, "/orders/a%20b", "", "api.example.com", canonical_uri="/orders/a%2520b/")
    check("npm SDK: path encoded twice → 200", r.status == 200, r)
    r = custom_signed(small, "/orders/a%20b", "", "api.example.com", canonical_uri="/orders/a%25b/")
    check("a wrong path encoding → 401 echoing the standard form", denial(r)[0] == 401 and "|/orders/a%20b/|" in denial(r)[2], r)

    # Bodies: hashed; Envoy's default 1 MiB buffer limit vs a listener with 16 MiB.
    kb = b"x" * 1024
    r = signed(small, "POST", f"{H}/orders", headers={"Content-Type": "application/octet-stream"}, body=kb)
    check("POST 1 KB body → 200, body forwarded", r.status == 200 and r.json().get("body_len") == 1024, r)
    two = bytes(range(256)) * (2 * MiB // 256)
    r = signed(small, "POST", f"{H}/orders", body=two)
    print(f"     observed: 2 MiB body on a listener with Envoy's default buffer limit → {r.status} {r.body[:120]!r}")
    r = signed(big, "POST", f"{H}/orders", body=two)
    check("POST 2 MiB body on a 16 MiB-buffer listener → 200", r.status == 200 and r.json().get("body_sha256") == hashlib.sha256(two).hexdigest(), r)
    r = signed(big, "POST", f"{H}/orders", body=two, tamper=lambda m, t, h, b: (m, t, h, b[:-1] + b"!"))
    check("POST 2 MiB body, last byte changed → 401", denial(r)[0] == 401, r)
    r = signed(big, "PUT", f"{H}/orders", body=b"one", unsigned=True, tamper=lambda m, t, h, b: (m, t, h, b"two"))
    check("UNSIGNED-PAYLOAD (signed) → body not hashed → 200", r.status == 200, r)
    r = signed(big, "PUT", f"{H}/orders", body=b"one", tamper=lambda m, t, h, b: (m, t, {**h, "X-Sdk-Content-Sha256": "UNSIGNED-PAYLOAD"}, b"two"))
    check("UNSIGNED-PAYLOAD not signed → body hashed → 401", denial(r)[0] == 401, r)
    twelve = b"y" * (12 * MiB)
    r = signed(big, "POST", f"{H}/orders", body=twelve)
    check("POST exactly 12 MiB (max_body_bytes) → 200", r.status == 200 and r.json().get("body_len") == 12 * MiB, r)
    # A chunked body arrives in several pieces: buffered to the end, then hashed whole.
    chunks = [b"a" * 10, b"b" * 70000, b"c" * 5]
    hs = signer.sign("POST", f"{H}/orders/chunked", CLIENT[0], CLIENT[1], body=b"".join(chunks))
    head = "".join(f"{k}: {v}\r\n" for k, v in hs.items())
    wire = f"POST /orders/chunked HTTP/1.1\r\n{head}Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n".encode()
    wire += b"".join(b"%x\r\n" % len(c) + c + b"\r\n" for c in chunks) + b"0\r\n\r\n"
    out = raw(big, wire)
    check("chunked POST in three chunks → 200, body forwarded whole", first_line(out) == b"HTTP/1.1 200 OK" and b'"body_len": 70015' in out, out[:300])
    over = b"z" * (12 * MiB + 1)
    r = signed(big, "POST", f"{H}/orders", body=over)
    check("body over max_body_bytes → 413 APIG.0201 from the filter", denial(r) == (413, "APIG.0201", "Request entity too large."), r)

    # HTTP/2 (h2c): no Host header, only :authority.
    body = b'{"h2":true}'
    hs = signer.sign("POST", f"{H}:8443/orders/h2?x=1", CLIENT[0], CLIENT[1], {"Content-Type": "application/json"}, body=body)
    cmd = ["curl", "-s", "--http2-prior-knowledge", "-o", "-", "-w", "\n%{http_code} %{http_version}", "--data-binary", body.decode(),
           "--connect-to", f"api.example.com:8443:127.0.0.1:{small}", "http://api.example.com:8443/orders/h2?x=1"]
    for k, v in hs.items():
        if k.lower() != "host":
            cmd += ["-H", f"{k}: {v}"]
    out = subprocess.run(cmd, capture_output=True, text=True, timeout=30).stdout
    check("HTTP/2 signed POST (host from :authority, port included) → 200", out.endswith("200 2") and "team/client" in out, out[-300:])

    # AppCode.
    # The third listener stands for the HTTPS one: it overwrites :scheme with https.
    r = send(tls, "GET", "/orders", {"Host": "api.example.com", "X-Apig-AppCode": CODE})
    check("AppCode over HTTPS → 200, X-Apig-AppCode stripped", r.status == 200 and r.seen("x-apig-appcode") is None
          and r.seen("x-turnpike-app-id") == "team/client", r)
    r = send(small, "GET", "/orders", {"Host": "api.example.com", "X-Apig-AppCode": CODE})
    check("AppCode over HTTP → 401", denial(r)[2] == "Incorrect app authentication information: app code authentication is only supported over HTTPS", r)
    r = send(tls, "GET", "/orders", {"Host": "api.example.com", "X-Apig-AppCode": "B" * 64})
    check("unknown AppCode → 401 app code not found", denial(r)[2].endswith("app code not found"), r)

    # Backend signing.
    body = b'{"n":1}'
    r = send(small, "POST", "/signed/42?x=1", {"Host": "api.example.com", "X-Sdk-Content-Sha256": "UNSIGNED-PAYLOAD", "Content-Type": "application/json"}, body)
    seen = {k: v for k, v in r.json().get("headers", [])}
    err = signer.verify("POST", "/api/v2/orders/42", "x=1", seen, body, *BACKEND_KEY) if r.status == 200 else r
    check("HMAC backend signing verified by the independent signer (rewritten path, backend host)",
          r.status == 200 and r.json().get("path") == "/api/v2/orders/42?x=1" and seen.get("host") == "orders.internal:8443" and err is None, err)
    check("x-sdk-content-sha256 removed for a signed backend request", r.status == 200 and "x-sdk-content-sha256" not in seen, seen)
    r = signed(small, "GET", f"{H}/appsigned")
    seen = {k: v for k, v in r.json().get("headers", [])}
    check("APP + HMAC: caller verified, Authorization replaced by the gateway's",
          r.status == 200 and seen.get("authorization", "").startswith("SDK-HMAC-SHA256 Access=gateway-key-01,")
          and seen.get("x-turnpike-app-id") == "team/client" and signer.verify("GET", "/appsigned", "", seen, b"", *BACKEND_KEY) is None, r)
    r = send(small, "GET", "/basic", {"Host": "api.example.com", "Authorization": "Bearer caller"})
    check("BASIC backend signing", r.seen("authorization") == "Basic Z2F0ZXdheTpwNHNzdzByZCE=", r)
    check("unknown SignatureKey → 500 APIG.0705", denial(send(small, "GET", "/nokey", {"Host": "h"}))[:2] == (500, "APIG.0705"))

    # Routes: facts missing, filter disabled per route, metadata that cannot be trusted.
    r = send(small, "GET", "/open", {"Host": "h", "Authorization": "Bearer x", "X-Apig-AppCode": "c"})
    check("route without facts → untouched", r.status == 200 and r.seen("authorization") == "Bearer x" and r.seen("x-apig-appcode") == "c", r)
    check("route with the filter disabled → untouched", send(small, "GET", "/disabled", {"Host": "h"}).status == 200)
    check("a route named for the filter whose auth is not a string → 500 APIG.0601", denial(send(small, "GET", "/broken", {"Host": "h"}))[:2] == (500, "APIG.0601"))

    # Hostile input never crashes the module or Envoy.
    r = signed(small, "GET", f"{H}/orders", tamper=lambda m, t, h, b: (m, t, {**h, "X-Junk": b"\xff\xfe\x80"}, b))
    check("unsigned non-UTF-8 header value → still 200", r.status == 200, r)
    r = signed(small, "GET", f"{H}/orders", headers={"X-Bin": "v"}, tamper=lambda m, t, h, b: (m, t, {**h, "X-Bin": b"v\xff"}, b))
    check("signed non-UTF-8 header value → 401 (read as U+FFFD)", denial(r)[0] == 401 and "x-bin:v\ufffd|" in denial(r)[2], r)
    r = signed(small, "GET", f"{H}/orders", tamper=lambda m, t, h, b: (m, t, {**h, "Authorization": h["Authorization"].replace("SignedHeaders=", "SignedHeaders=x-\u00e9;").encode()}, b))
    check("non-ASCII signed header name → message in proper UTF-8", denial(r)[2] == "Incorrect app authentication information: signed header x-\u00e9 not found", r)
    for bad in ["SDK-HMAC-SHA256", "SDK-HMAC-SHA256 Access=", "SDK-HMAC-SHA256 Access=k, SignedHeaders=;;;, Signature=00",
                b"SDK-HMAC-SHA256 Access=\xff\xff, SignedHeaders=x-sdk-date, Signature=00", "SDK-HMAC-SHA256 Access=k, SignedHeaders=" + "a;" * 2000 + ", Signature=0"]:
        r = send(small, "GET", "/orders", {"Host": "h", "Authorization": bad, "X-Sdk-Date": signer.sdk_date()})
        check(f"malformed Authorization {str(bad)[:48]!r}… → 401", r.status == 401, r)
    out = raw(small, b"GET /orders HTTP/1.1\r\nHost: h\r\nX-\xff\xfe: v\r\n\r\n")
    print(f"     observed: a header name with bytes 0xff 0xfe → {first_line(out)!r} (Envoy's codec)")
    out = raw(small, b"GET /orders/\xe4\xb8\xad?q=\xff HTTP/1.1\r\nHost: h\r\n\r\n")
    print(f"     observed: raw non-ASCII bytes in the path → {first_line(out)!r}")
    check("Envoy and the module still answer after hostile input", signed(small, "GET", f"{H}/orders").status == 200)

    # Configuration: a new one applies (reset secret); a bad one is refused and the last good one kept.
    envoy.write_config(config(client_secret="a-brand-new-secret"))
    ok = wait_until(lambda: signed(small, "GET", f"{H}/orders").status == 401)
    check("reset AppSecret: the old secret stops working after the ECDS update", ok)
    check("… and the new one works", signed(small, "GET", f"{H}/orders", key=(CLIENT[0], "a-brand-new-secret")).status == 200)
    rejected_before = envoy.stat(f"extension_config_discovery.http_filter.{FILTER}.config_fail")
    envoy.write_config('{"apps": [{"id": "x"}]')
    wait_until(lambda: envoy.stat(f"extension_config_discovery.http_filter.{FILTER}.config_fail") > rejected_before, 10)
    rejected = envoy.stat(f"extension_config_discovery.http_filter.{FILTER}.config_fail") - rejected_before
    check("a malformed configuration is refused (ECDS config_fail)", rejected >= 1, envoy.tail())
    check("… and the last good one keeps verifying", signed(small, "GET", f"{H}/orders", key=(CLIENT[0], "a-brand-new-secret")).status == 200
          and signed(small, "GET", f"{H}/orders").status == 401)
    logs = envoy.tail(400)
    check("no secret in Envoy's log", all(s not in logs for s in (CLIENT[1], OFFICIAL[1], BACKEND_KEY[1], CODE, "a-brand-new-secret", "p4ssw0rd")), logs)


def first_line(data: bytes) -> bytes:
    return data.split(b"\r\n", 1)[0]


def wait_until(condition, timeout=15.0) -> bool:
    deadline = time.time() + timeout
    while time.time() < deadline:
        if condition():
            return True
        time.sleep(0.2)
    return False


def run_without_configuration():
    """A first configuration that is refused: Envoy has no filter config and answers 500 itself
    (response flag NFCF) on every route of the chain, until a good configuration arrives."""
    envoy = Envoy('{"apps": "not a list"}', routes)
    try:
        port = envoy.ports[0]
        r = send(port, "GET", "/orders", {"Host": "h"})
        check("no configuration yet: a route with facts → 500 (Envoy's, NFCF), never passed", r.status == 500, r)
        check("no configuration yet: a route without facts → 500 too", send(port, "GET", "/open", {"Host": "h"}).status == 500)
        envoy.write_config(config())
        check("the first good configuration applies", wait_until(lambda: signed(port, "GET", "http://api.example.com/orders").status == 200))
    finally:
        envoy.close()


def main():
    envoy = Envoy(config(), routes, listeners=((None, "http"), (16 * MiB, "http"), (None, "https")), log_level="info")
    try:
        run(envoy)
    finally:
        envoy.close()
    run_without_configuration()
    print(f"{results['passed']} passed, {results['failed']} failed")
    sys.exit(1 if results["failed"] else 0)


if __name__ == "__main__":
    main()
