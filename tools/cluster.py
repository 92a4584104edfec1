"""Odoo nodes behind Debian's nginx on one database, configured from deploy/ (SPEC O3).

The production files themselves are used: each node's configuration is
``deploy/odoo.conf`` with its ports, database and loopback paths filled in, and
nginx serves ``deploy/nginx/clinic.conf`` with its upstreams listing the nodes,
TLS on a loopback port with a self-signed certificate and its log paths in a
work directory. Used by ``tests/test_o3_two_nodes.py`` and ``bench/bench_nodes.py``.

Every node runs in prefork mode (workers) with its own websocket (gevent)
process and cron thread; they share the database, the filestore and the HTTP
sessions (one data directory, as a shared file system would provide), and
Odoo's bus reaches every websocket process through PostgreSQL NOTIFY.
"""

import configparser
import contextlib
import os
import re
import secrets
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import clinic  # noqa: E402 - tools/clinic.py: the project's own setup

DEPLOY = clinic.ROOT / "deploy"
START_TIMEOUT = 180  # seconds; two prefork nodes load their registries on 2 shared cores


def node_environment():
    """The Environment= lines of deploy/systemd/odoo-clinic.service, as a node gets them."""
    unit = (DEPLOY / "systemd" / "odoo-clinic.service").read_text()
    return dict(re.findall(r"^Environment=(\w+)=(\S+)$", unit, re.M))


NODE_ENVIRONMENT = node_environment()


class ClusterError(Exception):
    """A node or nginx did not start; the message names its log."""


def nginx_binary():
    found = shutil.which("nginx") or "/usr/sbin/nginx"
    if not Path(found).exists():
        raise ClusterError("nginx is missing (Debian: apt-get install nginx)")
    return found


def node_config(db, http_port, gevent_port, workers=2):
    """deploy/odoo.conf for one loopback node of ``db``.

    The PG* environment reaches the database, as for every other command; the
    data directory stays Odoo's default one, shared by every node here.
    """
    parser = configparser.ConfigParser(interpolation=None)
    parser.read(DEPLOY / "odoo.conf")
    options = parser["options"]
    for key in ("db_host", "db_port", "db_user", "db_password", "data_dir"):
        options.pop(key, None)
    options.update(
        {
            "db_name": db,
            "dbfilter": f"^{db}$",
            "admin_passwd": secrets.token_hex(16),
            "addons_path": str(clinic.ADDONS_DIR),
            "http_port": str(http_port),
            "gevent_port": str(gevent_port),
            "workers": str(workers),
            "db_maxconn": "8",
            "db_maxconn_gevent": "8",
            "log_level": "warn",
        }
    )
    lines = ["[options]"] + [f"{key} = {value}" for key, value in options.items()]
    return "\n".join(lines) + "\n"


def nginx_site(listen_port, redirect_port, cert, key, nodes, log_dir, extra=""):
    """deploy/nginx/clinic.conf serving ``nodes`` [(http_port, gevent_port)] on loopback:
    HTTPS on ``listen_port``, the HTTP redirect on ``redirect_port``."""
    site = (DEPLOY / "nginx" / "clinic.conf").read_text()

    def members(index):
        return "".join(f"    server 127.0.0.1:{node[index]};\n" for node in nodes)

    site, http_count = re.subn(r"    server 127\.0\.0\.1:8069;\n", members(0), site)
    site, ws_count = re.subn(r"    server 127\.0\.0\.1:8072;\n", members(1), site)
    replacements = [
        (r"listen 443 ssl http2;", f"listen 127.0.0.1:{listen_port} ssl http2;"),
        (r"listen 80;", f"listen 127.0.0.1:{redirect_port};"),
        (r"\n *listen \[::\]:\d+[^;]*;", ""),
        (r"ssl_certificate /\S+;", f"ssl_certificate {cert};"),
        (r"ssl_certificate_key /\S+;", f"ssl_certificate_key {key};"),
        (r"/var/log/nginx/", f"{log_dir}/"),
        (r"(ssl_protocols [^;]*;)", r"\1" + extra),
    ]
    for pattern, replacement in replacements:
        site, count = re.subn(pattern, replacement, site)
        if not count:
            raise ClusterError(f"deploy/nginx/clinic.conf: {pattern!r} not found")
    if not (http_count and ws_count):
        raise ClusterError("deploy/nginx/clinic.conf: upstreams on 8069/8072 not found")
    return site


def nginx_main(workdir, site_path):
    """A main nginx.conf that runs unprivileged state in ``workdir`` around the site."""
    temp = "\n".join(
        f"    {name}_temp_path {workdir}/{name};"
        for name in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    return f"""pid {workdir}/nginx.pid;
error_log {workdir}/nginx-error.log;
worker_processes 1;
events {{ worker_connections 1024; }}
http {{
{temp}
    include /etc/nginx/mime.types;
    include {site_path};
}}
"""


def self_signed_certificate(workdir):
    cert, key = workdir / "tls.crt", workdir / "tls.key"
    subprocess.run(
        [
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "2",
            "-subj",
            "/CN=127.0.0.1",
            "-addext",
            "subjectAltName=IP:127.0.0.1",
            "-keyout",
            key,
            "-out",
            cert,
        ],
        check=True,
        capture_output=True,
    )
    return cert, key


def nginx_check(main_conf):
    """``nginx -t`` on a configuration; returns its output, raises when invalid."""
    done = subprocess.run(
        [nginx_binary(), "-t", "-c", str(main_conf)], capture_output=True, text=True, check=False
    )
    if done.returncode:
        raise ClusterError(f"nginx -t refused the configuration:\n{done.stderr}")
    return done.stderr


def free_ports(first, count, span=200):
    """``count`` loopback ports from ``first`` on that nothing listens on now."""
    found = []
    for port in range(first, first + span):
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
        found.append(port)
        if len(found) == count:
            return found
    raise ClusterError(f"fewer than {count} free ports in {first}-{first + span - 1}")


def wait_http(url, process, log, deadline, context=None):
    while time.monotonic() < deadline:
        try:
            # noqa: S310 - loopback
            with urllib.request.urlopen(url, timeout=5, context=context) as answer:
                if answer.status == 200:
                    return
        except (OSError, urllib.error.URLError):
            pass
        if process.poll() is not None:
            raise ClusterError(f"{url}: the process exited; see {log}")
        time.sleep(0.5)
    raise ClusterError(f"{url} did not answer within {START_TIMEOUT} s; see {log}")


def odoo_shell(db, script):
    """Run ``script`` in ``odoo shell`` on ``db`` (it commits itself); return stdout."""
    done = subprocess.run(
        [
            *clinic.odoo_launcher(),
            "shell",
            "-c",
            str(clinic.CONF),
            "-d",
            db,
            f"--db-filter=^{db}$",
            "--no-http",
            "--log-level=warn",
        ],
        input=script,
        capture_output=True,
        text=True,
        cwd=clinic.ROOT,
        timeout=600,
        check=False,
    )
    if done.returncode:
        raise ClusterError(f"odoo shell failed:\n{done.stdout[-2000:]}\n{done.stderr[-4000:]}")
    return done.stdout


class Cluster:
    """``nodes`` Odoo nodes on ``db`` behind nginx, as a context manager.

    The ports (HTTP and websocket process of each node, nginx's HTTPS and HTTP)
    are the first free ones from ``first_port`` on, so that two runs on one
    machine do not collide. ``url`` is the balancer, ``nodes[i]`` each node's own
    HTTP address, ``ports[i]`` its (HTTP, websocket) ports, ``ca_file`` the
    certificate to trust.
    """

    def __init__(self, db, workdir, nodes=2, first_port=18100, workers=2, extra_nginx=""):
        self.db = db
        self.workdir = Path(workdir)
        free = free_ports(first_port, 2 * nodes + 2)
        self.ports = [(free[2 * i], free[2 * i + 1]) for i in range(nodes)]
        self.listen, self.redirect = free[-2:]
        self.workers = workers
        self.extra_nginx = extra_nginx
        self.processes = []
        self.url = f"https://127.0.0.1:{self.listen}"
        self.nodes = [f"http://127.0.0.1:{http}" for http, _gevent in self.ports]
        self.ca_file = None

    def __enter__(self):
        try:
            self.start()
        except BaseException:
            self.stop()
            raise
        return self

    def __exit__(self, *exc):
        self.stop()

    def start(self):
        self.workdir.mkdir(parents=True, exist_ok=True)
        deadline = time.monotonic() + START_TIMEOUT
        for index, (http, gevent) in enumerate(self.ports):
            conf = self.workdir / f"node{index}.conf"
            conf.write_text(node_config(self.db, http, gevent, self.workers))
            log = self.workdir / f"node{index}.log"
            with open(log, "w") as out:
                # own session: the node's workers and websocket process stop with it
                process = subprocess.Popen(
                    [*clinic.odoo_launcher(), "-c", str(conf)],
                    cwd=clinic.ROOT,
                    env=dict(os.environ, **NODE_ENVIRONMENT),
                    stdout=out,
                    stderr=subprocess.STDOUT,
                    start_new_session=True,
                )
            self.processes.append(process)
        for index, (http, gevent) in enumerate(self.ports):
            log = self.workdir / f"node{index}.log"
            wait_http(f"http://127.0.0.1:{http}/web/health", self.processes[index], log, deadline)
            wait_http(
                f"http://127.0.0.1:{gevent}/websocket/health", self.processes[index], log, deadline
            )
        cert, key = self_signed_certificate(self.workdir)
        self.ca_file = str(cert)
        site = self.workdir / "clinic.conf"
        site.write_text(
            nginx_site(
                self.listen, self.redirect, cert, key, self.ports, self.workdir, self.extra_nginx
            )
        )
        main = self.workdir / "nginx.conf"
        main.write_text(nginx_main(self.workdir, site))
        nginx_check(main)
        log = self.workdir / "nginx-error.log"
        nginx = subprocess.Popen(
            [nginx_binary(), "-c", str(main), "-g", "daemon off;"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self.processes.append(nginx)
        trusted = ssl.create_default_context(cafile=self.ca_file)
        wait_http(f"{self.url}/web/health", nginx, log, deadline, trusted)

    def stop(self):
        """Stop what this cluster started: SIGTERM to each process group, then SIGKILL."""
        for process in self.processes:
            if process.poll() is None:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(process.pid, signal.SIGTERM)
        for process in self.processes:
            try:
                process.wait(30)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(process.pid, signal.SIGKILL)
                process.wait(10)
            # a node's workers may outlive their master by a moment
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
        self.processes = []
