"""An SDK-HMAC-SHA256 signer written from Huawei's published description (like their Python
signer: decode with unquote, keep `+` literal, encode with the RFC 3986 unreserved set). It shares
no code with apig-auth, so the harness checks the filter against an independent implementation.
"""
import hashlib
import hmac
from datetime import datetime, timezone
from urllib.parse import quote, unquote, urlsplit

EMPTY_SHA256 = hashlib.sha256(b"").hexdigest()


def _enc(text: str) -> str:
    return quote(text, safe="~")


def canonical_uri(path: str) -> str:
    uri = "/".join(_enc(unquote(seg)) for seg in path.split("/"))
    if not uri.startswith("/"):
        uri = "/" + uri
    return uri if uri.endswith("/") else uri + "/"


def canonical_query(query: str) -> str:
    params: dict[str, list[str]] = {}
    for pair in query.split("&"):
        if not pair:
            continue
        name, _, value = pair.partition("=")
        name = unquote(name)
        if name:
            params.setdefault(name, []).append(unquote(value))
    return "&".join(f"{_enc(n)}={_enc(v)}" for n in sorted(params) for v in sorted(params[n]))


def sdk_date(when: datetime | None = None) -> str:
    return (when or datetime.now(timezone.utc)).strftime("%Y%m%dT%H%M%SZ")


def canonical_request(method, path, query, headers, signed, payload_hash):
    lines = "".join(f"{name}:{headers[name].strip()}\n" for name in signed)
    return "\n".join([method.upper(), canonical_uri(path), canonical_query(query), lines, ";".join(signed), payload_hash])


def signature(secret: str, date: str, canonical: str) -> str:
    to_sign = f"SDK-HMAC-SHA256\n{date}\n{hashlib.sha256(canonical.encode()).hexdigest()}"
    return hmac.new(secret.encode(), to_sign.encode(), hashlib.sha256).hexdigest()


def sign(method, url, key, secret, headers=None, body=b"", date=None, unsigned=False):
    """Headers to send: the given ones plus Host, X-Sdk-Date, Authorization (every header signed)."""
    parts = urlsplit(url)
    out = dict(headers or {})
    lower = {k.lower(): v for k, v in out.items()}
    lower.setdefault("host", parts.netloc)
    out.setdefault("Host", lower["host"])
    date = lower.get("x-sdk-date") or date or sdk_date()
    lower["x-sdk-date"] = date
    out["X-Sdk-Date"] = date
    if unsigned:
        lower["x-sdk-content-sha256"] = out["X-Sdk-Content-Sha256"] = "UNSIGNED-PAYLOAD"
    payload = lower.get("x-sdk-content-sha256") or (hashlib.sha256(body).hexdigest() if body else EMPTY_SHA256)
    signed = sorted(lower)
    canonical = canonical_request(method, parts.path, parts.query, lower, signed, payload)
    out["Authorization"] = f"SDK-HMAC-SHA256 Access={key}, SignedHeaders={';'.join(signed)}, Signature={signature(secret, date, canonical)}"
    return out


def verify(method, path, query, headers, body, key, secret):
    """Verifies a request the backend received (backend signing), Huawei's way; returns an error or None."""
    auth = headers.get("authorization", "")
    prefix = f"SDK-HMAC-SHA256 Access={key}, SignedHeaders="
    if not auth.startswith(prefix):
        return f"unexpected authorization {auth!r}"
    signed_part, _, sig = auth[len(prefix):].partition(", Signature=")
    signed = signed_part.split(";")
    payload = hashlib.sha256(body).hexdigest() if body else EMPTY_SHA256
    canonical = canonical_request(method, path, query, headers, signed, payload)
    expected = signature(secret, headers["x-sdk-date"], canonical)
    return None if hmac.compare_digest(expected, sig) else f"signature mismatch for {canonical!r}"


if __name__ == "__main__":
    # Huawei's official vector (docs/authentication.md cites it; sdk/js/src/signer.test.ts).
    h = sign("GET", "https://service.region.example.com/v1/77b6a44cba5143ab91d13ab9a8ff44fd/vpcs?limit=2&marker=13551d6b-755d-4757-b956-536f674975c0",
             "QTWAOYTTINDUT2QVKYUC", "MFyfvK41ba2giqM7Uio6PznpdUKGpownRZlmVmHc",
             {"Content-Type": "application/json", "X-Sdk-Date": "20191115T033655Z"})
    assert h["Authorization"].endswith("Signature=7be6668032f70418fcc22abc52071e57aff61b84a1d2381bb430d6870f4f6ebe"), h
    print("signer reproduces the official vector")
