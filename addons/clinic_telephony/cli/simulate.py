from odoo.cli import Command
from odoo.tools import config

from ..tools import simulator
from .common import find_pbx, parse, superuser_env


class ClinicSimulate(Command):
    """Play realistic PBX calls through the signed webhook of a running Odoo (T2c)"""

    name = "clinic-simulate"

    def run(self, args):
        def add_arguments(parser):
            parser.add_argument("--pbx", default="demo", help="PBX code (default: demo)")
            parser.add_argument(
                "--scenario", default="busy_morning", choices=sorted(simulator.SCENARIOS)
            )
            parser.add_argument(
                "--url", help="Odoo's address (default: http://127.0.0.1:<http_port>)"
            )
            parser.add_argument(
                "--speed", type=float, default=1.0, help="play N times faster than real time"
            )

        options, registry = parse(self, args, add_arguments)
        with registry.cursor() as cr:
            pbx = find_pbx(superuser_env(cr), options.pbx)
            secret = pbx.secret
            extensions = pbx.phone_ids.mapped("extension") or ["101"]
            numbers = pbx._clinic_simulator_numbers()
        base = options.url or f"http://127.0.0.1:{config['http_port']}"
        url = f"{base.rstrip('/')}/clinic/telephony/{options.pbx}/events"
        steps = simulator.build_scenario(options.scenario, numbers, extensions)
        print(f"Playing {options.scenario} ({len(steps)} events) to {url}")  # pylint: disable=print-used
        results = simulator.play(steps, url, secret, speed=options.speed)
        failed = [answer for status, answer in results if status != 200]
        if failed:
            raise SystemExit(f"{len(failed)} event(s) were refused: {failed[:3]}")
