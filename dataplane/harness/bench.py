"""Cost of the authn filter in the real Envoy (a script, not a test: no timed assertion).
The same direct_response route three ways: the filter disabled per route (`off`), enabled on a
route without facts (`skip`), and authenticating a signed call (`app`: GET, and POST with a 1 KB
body); then a route proxying to an upstream (a second Envoy answering 200), without and with the
filter. Envoy runs one worker; wrk drives it over keep-alive connections in alternating rounds.
Prints requests/s, the ratio to `off`, and Envoy's CPU time per request (the steadier figure on
a shared 2-core machine). Usage: bench.py [--seconds 5] [--rounds 3] [--connections 16]"""
import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

sys.dont_write_bytecode = True  # no __pycache__ beside the sources
import signer  # noqa: E402
from envoy_harness import DISABLED, Envoy, PlainEnvoy, facts  # noqa: E402

KEY, SECRET = "071fe245-9cf6-4d75-822d-c29945a1e06a", "c6e52419-2270-4cb8-8bd4-ae7fdd01dcd5"
CONFIG = json.dumps({"apps": [{"id": "team/client", "app_key": KEY, "app_secret": SECRET, "app_codes": [],
                               "grants": [{"kind": "API", "target": "team/orders", "environments": ["RELEASE"]}]}]
                     + [{"id": f"team/app{i:04d}", "app_key": f"key-{i}", "app_secret": f"secret-{i}", "app_codes": [f"code-{i}"],
                         "grants": [{"kind": "API", "target": f"team/api{i}", "environments": ["RELEASE"]}]} for i in range(1000)]})
ORDERS = dict(api="team/orders", group="team/shop", environment="RELEASE", auth="APP", app_code="false", tls="false")


def routes(cluster):
    ok = {"status": 200, "body": {"inline_string": "ok"}}
    to = {"cluster": cluster}
    return [
        {"match": {"prefix": "/bench/off"}, "direct_response": ok, "metadata": facts(**ORDERS), "typed_per_filter_config": DISABLED},
        {"match": {"prefix": "/bench/skip"}, "direct_response": ok},
        {"match": {"prefix": "/bench/app"}, "direct_response": ok, "metadata": facts(**ORDERS)},
        {"match": {"prefix": "/proxy/off"}, "route": to, "metadata": facts(**ORDERS), "typed_per_filter_config": DISABLED},
        {"match": {"prefix": "/proxy/app"}, "route": to, "metadata": facts(**ORDERS)},
    ]


def lua_script(method: str, headers: dict, body: bytes) -> str:
    lines = [f'wrk.method = "{method}"']
    for k, v in headers.items():
        lines.append(f'wrk.headers["{k}"] = "{v}"')
    if body:
        lines.append(f'wrk.body = "{body.decode()}"')
    return "\n".join(lines) + "\n"


def wrk(port, path, script, seconds, connections):
    out = subprocess.run(["wrk", "-t1", f"-c{connections}", f"-d{seconds}s", "--latency", "-s", script, f"http://127.0.0.1:{port}{path}"],
                         capture_output=True, text=True, check=True).stdout
    total = int(re.search(r"(\d+) requests in", out).group(1))
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    p99 = re.search(r"99%\s+([\d.]+)(us|ms|s)", out)
    scale = {"us": 0.001, "ms": 1, "s": 1000}
    return total, int(non2xx.group(1)) if non2xx else 0, float(p99.group(1)) * scale[p99.group(2)] if p99 else float("nan")


def main():
    args = argparse.ArgumentParser()
    args.add_argument("--seconds", type=int, default=5)
    args.add_argument("--rounds", type=int, default=3)
    args.add_argument("--connections", type=int, default=16)
    opts = args.parse_args()
    if shutil.which("wrk") is None:
        sys.exit("bench.py needs wrk (apt-get install -y wrk)")
    work = tempfile.mkdtemp(prefix="authn-bench-")
    upstream = PlainEnvoy()
    envoy = Envoy(CONFIG, routes, concurrency=1, backend_port=upstream.port)
    try:
        port = envoy.ports[0]
        host = "api.example.com"
        cases = {}
        for name, method, path, body in [("off", "GET", "/bench/off?b=2&a=1", b""), ("skip", "GET", "/bench/skip?b=2&a=1", b""),
                                         ("app GET", "GET", "/bench/app?b=2&a=1", b""), ("app POST 1 KB", "POST", "/bench/app/orders", b"x" * 1024),
                                         ("proxy off", "GET", "/proxy/off?b=2&a=1", b""), ("proxy app GET", "GET", "/proxy/app?b=2&a=1", b"")]:
            headers = signer.sign(method, f"http://{host}{path}", KEY, SECRET, {"Content-Type": "application/json"}, body=body)
            script = os.path.join(work, f"{len(cases)}.lua")
            with open(script, "w") as f:
                f.write(lua_script(method, headers, body))
            cases[name] = (path, script)
        # Warm up (V8 compiles lazily) and check every case answers 200.
        for name, (path, script) in cases.items():
            total, bad, _ = wrk(port, path, script, 1, opts.connections)
            if bad:
                sys.exit(f"{name}: {bad} of {total} non-2xx in warm-up; envoy log:\n{envoy.tail()}")
        results = {name: [0, 0.0, 0.0, []] for name in cases}
        for _ in range(opts.rounds):
            for name, (path, script) in cases.items():
                cpu = envoy.cpu_seconds()
                total, bad, p99 = wrk(port, path, script, opts.seconds, opts.connections)
                r = results[name]
                r[0] += total
                r[1] += envoy.cpu_seconds() - cpu
                r[2] += bad
                r[3].append(p99)
        print(f"{'route':<16}{'requests':>10}{'req/s':>9}{'vs off':>8}{'Envoy CPU µs/req':>18}{'p99 ms (max)':>14}{'non-2xx':>9}")
        for name, (total, cpu, bad, p99s) in results.items():
            base = results["proxy off" if name.startswith("proxy") else "off"][0]
            rate = total / (opts.seconds * opts.rounds)
            print(f"{name:<16}{total:>10}{rate:>9.0f}{total / base:>8.1%}{cpu / total * 1e6:>18.1f}{max(p99s):>14.2f}{int(bad):>9}")
        for name, base in (("skip", "off"), ("app GET", "off"), ("app POST 1 KB", "off"), ("proxy app GET", "proxy off")):
            added = results[name][1] / results[name][0] - results[base][1] / results[base][0]
            print(f"added by the filter, {name}: {added * 1e6:.1f} µs of Envoy CPU per request")
    finally:
        envoy.close()
        upstream.close()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
