"""O3: webhook throughput through nginx, for one and for two Odoo nodes.

    python3 bench/bench_nodes.py [--calls 500] [--threads 8] [--nodes 1 2]
    make bench ARGS=nodes

Uses the database ``clinic_bench_nodes`` (clinic_telephony, no demo data) and the
P2 bench's PBX "bench". For each node count, starts that many prefork nodes
(2 workers and a websocket process each) from ``deploy/odoo.conf`` behind
Debian's nginx serving ``deploy/nginx/clinic.conf`` (TLS on loopback, free
ports from 18200 on; tools/cluster.py), warms them, then posts the signed events of
``--calls`` calls through the balancer as fast as answers come back (closed
loop) and prints events/s, latency and the lost/duplicated check. On one
machine the nodes share its cores: the figures show the balancer's and the
second node's overhead, not the capacity of two servers. Figures only.
"""

import argparse
import os
import sys
import tempfile
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_webhook import build_events, fire, prepare, verify  # noqa: E402
from common import ROOT, ensure_database, environment, fmt, summary  # noqa: E402

sys.path.insert(0, str(ROOT / "tools"))
import cluster  # noqa: E402 - tools/cluster.py

DB = "clinic_bench_nodes"


def measure(db, nodes, calls, threads, sign):
    workdir = tempfile.mkdtemp(prefix=f"bench_nodes_{nodes}_")
    with cluster.Cluster(db, workdir, nodes=nodes, first_port=18200) as running:
        # requests (the P2 bench's client) trusts the cluster's own certificate
        os.environ["REQUESTS_CA_BUNDLE"] = running.ca_file
        url = f"{running.url}/clinic/telephony/bench/events"
        run_id = uuid.uuid4().hex[:8]
        fire(url, build_events(50, f"warm{run_id}"), threads, 120, sign)
        bodies = build_events(calls, run_id)
        elapsed, latencies, answers = fire(url, bodies, threads, 600, sign)
    rows, distinct, consistent, events = verify(db, run_id)
    unique = len({body["event_id"] for body in bodies})
    ok = (
        len(answers) == len(bodies) and rows == distinct == consistent == calls and events == unique
    )
    print(f"O3 webhook through nginx, {nodes} node(s) x 2 workers, {threads} client threads")
    print(f"  throughput       {len(answers) / elapsed:.1f} events/s ({len(answers)} events)")
    print(f"  latency          {fmt(summary(latencies))}")
    print(f"  load average     {os.getloadavg()[0]:.1f} (shared machine: figures scale with it)")
    print(f"  lost/duplicated  {'none' if ok else 'MISMATCH'}  (logs: {workdir})")
    return ok


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", default=DB)
    parser.add_argument("--calls", type=int, default=500)
    # 8 clients keep every node's workers busy without overflowing Odoo's listen
    # backlog (8 per worker), whose dropped connections would measure TCP retries
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--nodes", type=int, nargs="+", default=[1, 2])
    args = parser.parse_args()

    ensure_database(args.db, ["clinic_telephony"])
    with environment(args.db) as env:
        prepare(env)
        env.cr.commit()
    from odoo.addons.clinic_base.tools.signature import sign

    results = [measure(args.db, n, args.calls, args.threads, sign) for n in args.nodes]
    sys.exit(0 if all(results) else 1)


if __name__ == "__main__":
    os.environ.setdefault("PYTHONUNBUFFERED", "1")
    main()
