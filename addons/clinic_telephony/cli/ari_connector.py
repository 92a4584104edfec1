import logging
import signal
import sys

from odoo.cli import Command
from odoo.fields import Datetime

from ..ingestion import ingestion_env
from ..tools import ari
from ..tools import events as ev
from .common import find_pbx, parse, superuser_env

_logger = logging.getLogger(__name__)


class DatabaseSink:
    """The connector's link to the database: settings, events and reconciliation,
    one transaction each."""

    def __init__(self, registry, code):
        self.registry = registry
        self.code = code

    def policy(self):
        with ingestion_env(self.registry) as env:
            return find_pbx(env, self.code)._ari_policy()

    def events(self, bodies):
        for body in bodies:
            try:
                event = ev.parse_event(body)
            except ev.MalformedEvent as exc:
                _logger.warning("ARI event skipped (%s): %s", exc, body)
                continue
            with ingestion_env(self.registry) as env:
                find_pbx(env, self.code)._ingest(event)

    def reconcile(self, live_channels):
        with ingestion_env(self.registry) as env:
            changed = find_pbx(env, self.code)._reconcile(live_channels, Datetime.now())
            if changed:
                _logger.info("ARI reconcile: %s call(s) caught up", len(changed))


class ClinicAri(Command):
    """Run the Stasis application of an Asterisk PBX over ARI: ring desk phones, bridge
    calls, click-to-call, record what happens (T2b, T13, R4)"""

    name = "clinic-ari"

    def run(self, args):
        def add_arguments(parser):
            parser.add_argument("--pbx", required=True, help="code of an Asterisk ARI PBX")

        options, registry = parse(self, args, add_arguments)
        with registry.cursor() as cr:
            pbx = find_pbx(superuser_env(cr), options.pbx)
            if pbx.kind != "asterisk_ari" or not pbx.ari_url:
                sys.exit(f"PBX {options.pbx!r} is not an Asterisk ARI PBX with an ARI URL.")
            rest = ari.AriRest(pbx.ari_url, pbx.ari_username, pbx.ari_password)
            app = pbx.ari_app
        connector = ari.AriConnector(rest, app, DatabaseSink(registry, options.pbx))
        signal.signal(signal.SIGTERM, lambda *_args: connector.stop())
        _logger.info("ARI connector for %s started", options.pbx)
        try:
            connector.run()
        except KeyboardInterrupt:
            connector.stop()
