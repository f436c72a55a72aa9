"""Runs the real Envoy with the authn module delivered like the control plane delivers it:
ECDS resource `turnpike.authn` (here from a file: path_config_source), facts in route metadata,
and a local-reply mapper that rewrites every error reply not marked `x-turnpike-reply: authn`.
Used by check.py (behaviour) and bench.py (cost). Not a test suite: a manual harness."""
import hashlib
import http.client
import json
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

HERE = os.path.dirname(os.path.abspath(__file__))
DATAPLANE = os.path.dirname(HERE)
CACHE = os.environ.get("TURNPIKE_CACHE", os.path.expanduser("~/.cache/turnpike"))
ENVOY = os.environ.get("ENVOY", os.path.join(CACHE, "bin", "envoy"))
# Envoy loads lib<name>.so from the directory in ENVOY_DYNAMIC_MODULES_SEARCH_PATH.
MODULE = os.environ.get("AUTHN_MODULE", os.path.join(CACHE, "bin", "libturnpike_authn.so"))
FILTER = "turnpike.authn"
MODULE_TYPE = "type.googleapis.com/envoy.extensions.filters.http.dynamic_modules.v3.DynamicModuleFilter"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def module_config(config_json: str) -> dict:
    """The DynamicModuleFilter of dataplane/README.md."""
    name = os.path.basename(MODULE).removeprefix("lib").removesuffix(".so")
    return {
        "@type": MODULE_TYPE,
        "dynamic_module_config": {"name": name},
        "filter_name": FILTER,
        "filter_config": {"@type": "type.googleapis.com/google.protobuf.StringValue", "value": config_json},
    }


def ecds_response(config_json: str, version: str) -> dict:
    return {
        "version_info": version,
        "resources": [{
            "@type": "type.googleapis.com/envoy.config.core.v3.TypedExtensionConfig",
            "name": FILTER,
            "typed_config": module_config(config_json),
        }],
    }


def facts(**values: str) -> dict:
    return {"filter_metadata": {FILTER: values}}


DISABLED = {FILTER: {"@type": "type.googleapis.com/envoy.config.route.v3.FilterConfig", "disabled": True}}


def named(routes: list) -> list:
    """Routes with facts named like the control plane names them: `#` and a digest of the facts."""
    out = []
    for i, route in enumerate(routes):
        values = route.get("metadata", {}).get("filter_metadata", {}).get(FILTER)
        if values is not None and "name" not in route:
            digest = hashlib.sha256(json.dumps(sorted(values.items())).encode()).hexdigest()[:16]
            route = {"name": f"r{i}#{digest}", **route}
        out.append(route)
    return out


def hcm(routes: list, ecds_path: str, scheme: str) -> dict:
    replies = [
        # The filter's own replies pass unchanged (xds-server local-reply.ts does the same).
        {"filter": {"header_filter": {"header": {"name": "x-turnpike-reply", "string_match": {"exact": "authn"}}}}},
        {"filter": {"status_code_filter": {"comparison": {"op": "EQ", "value": {"default_value": 413, "runtime_key": "h.413"}}}},
         "body_format_override": {"json_format": {"error_code": "APIG.0201", "error_msg": "Request entity too large.", "request_id": "%REQ(X-REQUEST-ID)%"}}},
        # Anything else is rewritten: a filter reply without the marker would show up here.
        {"filter": {"status_code_filter": {"comparison": {"op": "GE", "value": {"default_value": 400, "runtime_key": "h.ge"}}}},
         "body_format_override": {"json_format": {"error_code": "UNMARKED", "error_msg": "%LOCAL_REPLY_BODY%", "request_id": "%REQ(X-REQUEST-ID)%"}}},
    ]
    return {
        "name": "envoy.filters.network.http_connection_manager",
        "typed_config": {
            "@type": "type.googleapis.com/envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager",
            "stat_prefix": "h",
            # As each of the gateway's listeners does (xds-server/src/translate/hcm.ts): the filter
            # reads TLS from :scheme.
            "scheme_header_transformation": {"scheme_to_overwrite": scheme},
            "route_config": {"name": "r", "virtual_hosts": [{"name": "all", "domains": ["*"], "routes": named(routes)}]},
            "local_reply_config": {"mappers": replies},
            "http_filters": [
                {"name": FILTER, "config_discovery": {
                    "config_source": {"path_config_source": {"path": ecds_path}, "resource_api_version": "V3"},
                    "type_urls": [MODULE_TYPE]}},
                {"name": "envoy.filters.http.router", "typed_config": {"@type": "type.googleapis.com/envoy.extensions.filters.http.router.v3.Router"}},
            ],
        },
    }


def bootstrap(listeners: list[tuple[int, tuple[int | None, str]]], routes: list, backend_port: int, admin_port: int, ecds_path: str) -> dict:
    """listeners: (port, (per_connection_buffer_limit_bytes or None for Envoy's default, scheme))."""
    out = []
    for port, (limit, scheme) in listeners:
        listener = {"name": f"l{port}", "address": {"socket_address": {"address": "127.0.0.1", "port_value": port}},
                    "filter_chains": [{"filters": [hcm(routes, ecds_path, scheme)]}]}
        if limit is not None:
            listener["per_connection_buffer_limit_bytes"] = limit
        out.append(listener)
    backend = {"name": "backend", "type": "STATIC", "connect_timeout": "1s",
               "load_assignment": {"cluster_name": "backend", "endpoints": [{"lb_endpoints": [
                   {"endpoint": {"address": {"socket_address": {"address": "127.0.0.1", "port_value": backend_port}}}}]}]}}
    return {"node": {"id": "authn-harness", "cluster": "authn-harness"},
            "admin": {"address": {"socket_address": {"address": "127.0.0.1", "port_value": admin_port}}},
            "static_resources": {"listeners": out, "clusters": [backend]}}


class EchoBackend:
    """Answers every request with what it received: method, path, headers, body length and hash."""

    def __init__(self):
        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def read_body(self) -> bytes:
                if "chunked" in (self.headers.get("transfer-encoding") or "").lower():
                    body = b""
                    while size := int(self.rfile.readline().split(b";")[0], 16):
                        body += self.rfile.read(size)
                        self.rfile.readline()
                    while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                        pass
                    return body
                length = int(self.headers.get("content-length") or 0)
                return self.rfile.read(length) if length else b""

            def handle_any(self):
                body = self.read_body()
                reply = json.dumps({
                    "method": self.command, "path": self.path,
                    "headers": [[k.lower(), v] for k, v in self.headers.items()],
                    "body_len": len(body), "body_sha256": hashlib.sha256(body).hexdigest(),
                    "body": body.decode("latin-1") if len(body) < 4096 else "",
                }).encode()
                self.send_response(200)
                self.send_header("content-type", "application/json")
                self.send_header("content-length", str(len(reply)))
                self.end_headers()
                self.wfile.write(reply)

            do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = handle_any

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()


class Envoy:
    def __init__(self, config_json: str, routes_for, listeners=((None, "http"),), concurrency=1, log_level="warning", backend_port=None):
        """routes_for(backend_cluster_name) -> routes; one listener per (buffer limit, scheme) of listeners.
        The `backend` cluster reaches an EchoBackend, or backend_port when given."""
        self.dir = tempfile.mkdtemp(prefix="authn-harness-")
        self.ecds_path = os.path.join(self.dir, "ecds.json")
        self.version = 0
        self.write_config(config_json)
        self.backend = EchoBackend() if backend_port is None else None
        self.ports = [free_port() for _ in listeners]
        self.admin = free_port()
        upstream = self.backend.port if self.backend else backend_port
        boot = bootstrap(list(zip(self.ports, listeners)), routes_for("backend"), upstream, self.admin, self.ecds_path)
        path = os.path.join(self.dir, "bootstrap.json")
        with open(path, "w") as f:
            json.dump(boot, f, indent=1)
        self.log_path = os.path.join(self.dir, "envoy.log")
        self.log = open(self.log_path, "w")
        self.proc = subprocess.Popen([ENVOY, "-c", path, "--concurrency", str(concurrency), "-l", log_level,
                                      "--component-log-level", "dynamic_modules:info", "--base-id", str(self.admin)],
                                     stdout=self.log, stderr=subprocess.STDOUT,
                                     env={**os.environ, "ENVOY_DYNAMIC_MODULES_SEARCH_PATH": os.path.dirname(MODULE)})
        self.wait_ready()

    def write_config(self, config_json: str):
        """Delivers a new ECDS response (atomically, as Envoy's file watcher expects)."""
        self.version += 1
        tmp = self.ecds_path + ".tmp"
        with open(tmp, "w") as f:
            json.dump(ecds_response(config_json, str(self.version)), f)
        os.replace(tmp, self.ecds_path)

    def wait_ready(self, timeout=30.0):
        deadline = time.time() + timeout
        while time.time() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"envoy exited: {self.tail()}")
            try:
                if b"LIVE" in self.admin_get("/ready"):
                    return
            except OSError:
                pass
            time.sleep(0.1)
        raise RuntimeError(f"envoy not ready: {self.tail()}")

    def admin_get(self, path: str) -> bytes:
        conn = http.client.HTTPConnection("127.0.0.1", self.admin, timeout=2)
        try:
            conn.request("GET", path)
            return conn.getresponse().read()
        finally:
            conn.close()

    def stat(self, name: str) -> int:
        data = self.admin_get(f"/stats?filter=^{name}$")
        for line in data.decode().splitlines():
            if line.startswith(name + ":"):
                return int(line.split(":")[1])
        return 0

    def cpu_seconds(self) -> float:
        with open(f"/proc/{self.proc.pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def tail(self, n=40) -> str:
        self.log.flush()
        with open(self.log_path, errors="replace") as f:
            return "".join(f.readlines()[-n:])

    def close(self):
        self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
        if self.backend:
            self.backend.close()
        self.log.close()
        if not os.environ.get("KEEP_HARNESS"):
            shutil.rmtree(self.dir, ignore_errors=True)


class PlainEnvoy:
    """A second Envoy answering every request with 200 `ok` (direct_response): a fast backend whose
    CPU is not counted with the gateway's."""

    def __init__(self):
        self.port, admin = free_port(), free_port()
        self.dir = tempfile.mkdtemp(prefix="authn-upstream-")
        route = {"match": {"prefix": "/"}, "direct_response": {"status": 200, "body": {"inline_string": "ok"}}}
        manager = {"name": "envoy.filters.network.http_connection_manager", "typed_config": {
            "@type": "type.googleapis.com/envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager",
            "stat_prefix": "u", "route_config": {"virtual_hosts": [{"name": "all", "domains": ["*"], "routes": [route]}]},
            "http_filters": [{"name": "envoy.filters.http.router", "typed_config": {
                "@type": "type.googleapis.com/envoy.extensions.filters.http.router.v3.Router"}}]}}
        boot = {"admin": {"address": {"socket_address": {"address": "127.0.0.1", "port_value": admin}}},
                "static_resources": {"listeners": [{"name": "u", "address": {"socket_address": {"address": "127.0.0.1", "port_value": self.port}},
                                                    "filter_chains": [{"filters": [manager]}]}]}}
        path = os.path.join(self.dir, "upstream.json")
        with open(path, "w") as f:
            json.dump(boot, f)
        self.proc = subprocess.Popen([ENVOY, "-c", path, "--concurrency", "1", "-l", "error", "--base-id", str(admin)],
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.time() + 20
        while time.time() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.port), 0.2):
                    return
            except OSError:
                time.sleep(0.1)
        raise RuntimeError("upstream envoy not ready")

    def close(self):
        self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
        shutil.rmtree(self.dir, ignore_errors=True)
