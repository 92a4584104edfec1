import threading
from urllib.parse import urlsplit

from odoo.cli import Command
from odoo.tools import config

from ..tools import simulator
from .common import find_pbx, parse, superuser_env


class ClinicSimulate(Command):
    """Play realistic PBX calls through the signed webhook of a running Odoo, and answer
    click-to-call commands like a PBX (T2c, T12)"""

    name = "clinic-simulate"

    def run(self, args):
        def add_arguments(parser):
            parser.add_argument("--pbx", default="demo", help="PBX code (default: demo)")
            parser.add_argument(
                "--scenario",
                default="busy_morning",
                choices=[*sorted(simulator.SCENARIOS), "none"],
                help="calls to play first ('none': only answer click-to-call)",
            )
            parser.add_argument(
                "--url", help="Odoo's address (default: http://127.0.0.1:<http_port>)"
            )
            parser.add_argument(
                "--speed", type=float, default=1.0, help="play N times faster than real time"
            )
            parser.add_argument(
                "--no-listen",
                action="store_true",
                help="exit after the scenario instead of answering click-to-call commands",
            )

        options, registry = parse(self, args, add_arguments)
        with registry.cursor() as cr:
            pbx = find_pbx(superuser_env(cr), options.pbx)
            secret = pbx.secret
            command_url = pbx.command_url
            recording_base = pbx.recording_base_url
            extensions = pbx.phone_ids.mapped("extension") or ["101"]
            numbers = pbx._simulator_numbers()
        base = options.url or f"http://127.0.0.1:{config['http_port']}"
        url = f"{base.rstrip('/')}/clinic/telephony/{options.pbx}/events"
        listener = None
        if not options.no_listen:
            listener = self._listen(command_url, url, secret, options.speed)
        if options.scenario != "none":
            steps = simulator.build_scenario(
                options.scenario,
                numbers,
                extensions,
                recording_base=recording_base or "https://pbx.invalid/recordings/",
            )
            print(f"Playing {options.scenario} ({len(steps)} events) to {url}")  # pylint: disable=print-used
            results = simulator.play(steps, url, secret, speed=options.speed)
            failed = [answer for status, answer in results if status != 200]
            if failed:
                raise SystemExit(f"{len(failed)} event(s) were refused: {failed[:3]}")
        if listener:
            print("Ctrl+C stops.")  # pylint: disable=print-used
            try:
                threading.Event().wait()
            except KeyboardInterrupt:
                listener.stop()

    @staticmethod
    def _listen(command_url, webhook_url, secret, speed):
        """Serve the PBX's command URL on this machine, playing each click-to-call."""
        parts = urlsplit(command_url or "")
        if parts.scheme != "http" or parts.hostname not in ("127.0.0.1", "localhost"):
            raise SystemExit(
                f"The PBX's command URL ({command_url or 'not set'}) is not a local http:// "
                "address; "
                "set one (e.g. http://127.0.0.1:8079/commands) or pass --no-listen."
            )
        player = simulator.CallPlayer(
            webhook_url, secret, answer_after=3.0 / speed, talk_for=20.0 / speed
        )
        listener = simulator.CommandListener(
            secret, player, host=parts.hostname, port=parts.port or 80, path=parts.path or "/"
        ).start()
        print(f"Answering click-to-call commands on {listener.url}")  # pylint: disable=print-used
        return listener
