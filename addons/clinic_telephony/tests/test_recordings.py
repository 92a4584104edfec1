"""Recordings inside Odoo (T15, R5): fetched from the PBX's own address, streamed with Range."""

import base64
import threading
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from unittest.mock import patch

from odoo import fields
from odoo.tests import HttpCase, TransactionCase, new_test_user, tagged

from ..tools import recordings, simulator
from .common import TelephonyCommon

AUDIO = simulator.tone_wav(seconds=0.5)
AUTH = base64.b64encode(b"rec-user:rec-pass").decode()


class RecordingServer:
    """A PBX's recording store on 127.0.0.1: ``files`` maps a path to (status, type, body)."""

    def __init__(self):
        self.files = {}
        self.hits = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_GET(self):
                server.hits.append(self.path)
                if self.headers.get("Authorization") != f"Basic {AUTH}":
                    status, content_type, body = 401, "text/plain", b"who are you?"
                else:
                    status, content_type, body = server.files.get(
                        self.path, (404, "text/plain", b"no such recording")
                    )
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    @property
    def base(self):
        return f"http://127.0.0.1:{self.httpd.server_address[1]}"

    def stop(self):
        self.httpd.shutdown()
        self.httpd.server_close()


class RecordingsMixin:
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.store = RecordingServer()
        cls.addClassCleanup(cls.store.stop)
        cls.pbx.write(
            {
                "recording_base_url": f"{cls.store.base}/rec/",
                "recording_username": "rec-user",
                "recording_password": "rec-pass",
            }
        )

    def setUp(self):
        super().setUp()
        self.store.files.clear()
        self.store.hits.clear()
        if self.registry.test_cr is None:
            self.registry.enter_test_mode(self.cr)
            self.addCleanup(self.registry.leave_test_mode)

    def recorded_call(self, call_id, url=None, path=None, start=None):
        path = path or f"/rec/{call_id}.wav"
        extra = {"recording_url": url or self.store.base + path}
        kinds = ["call.ringing", "call.answered", "call.ended", "call.recording"]
        if start:
            extra["start"] = start
        call = self.play(call_id, kinds, **extra)
        self.env.flush_all()
        return call

    def fetch(self, call):
        self.env["clinic.call"]._fetch_recordings()
        call.invalidate_recordset()
        return call


@tagged("post_install", "-at_install")
class TestRecordingFetch(RecordingsMixin, TelephonyCommon, TransactionCase):
    def test_t15_recording_fetched_into_odoo_with_the_pbx_credentials(self):
        self.store.files["/rec/r1.wav"] = (200, "audio/wav", AUDIO)
        call = self.recorded_call("r1")
        self.assertEqual((call.recording_state, call.has_recording), ("pending", False))
        self.fetch(call)
        self.assertEqual((call.recording_state, call.has_recording), ("stored", True))
        self.assertEqual(base64.b64decode(call.recording_file), AUDIO)
        self.assertEqual(call.recording_mimetype, "audio/wav")
        self.assertEqual(self.store.hits, ["/rec/r1.wav"])

    def test_t15_recording_on_another_host_is_refused(self):
        call = self.recorded_call("r2", url="https://evil.example.com/rec/r2.wav")
        with self.assertLogs("odoo.addons.clinic_telephony.models.clinic_call", "WARNING"):
            self.fetch(call)
        self.assertEqual(call.recording_state, "failed")
        self.assertIn("not on the phone system's recording address", call.recording_error)
        # Not even asked: another port, or a path outside the recording address, is foreign.
        for url in (
            self.store.base.replace("127.0.0.1", "localhost") + "/rec/x.wav",
            self.store.base + "/admin/x.wav",
            self.store.base + "/rec/../admin/x.wav",
        ):
            with self.subTest(url=url), self.assertRaises(recordings.RecordingRefused):
                recordings.check_source(url, self.pbx.recording_base_url)
        self.assertEqual(self.store.hits, [])

    def test_t15_only_audio_is_kept(self):
        self.store.files["/rec/r3.wav"] = (200, "text/html", b"<html>login page</html>")
        call = self.recorded_call("r3")
        with self.assertLogs("odoo.addons.clinic_telephony.models.clinic_call", "WARNING"):
            self.fetch(call)
        self.assertEqual((call.recording_state, call.has_recording), ("failed", False))
        self.assertIn("did not send an audio file", call.recording_error)

    def test_t15_size_is_capped(self):
        self.store.files["/rec/r4.wav"] = (200, "audio/wav", AUDIO)
        call = self.recorded_call("r4")
        with (
            patch.object(recordings, "MAX_BYTES", 100),
            self.assertLogs("odoo.addons.clinic_telephony.models.clinic_call", "WARNING"),
        ):
            self.fetch(call)
        self.assertEqual(call.recording_state, "failed")
        self.assertIn("larger than Odoo accepts", call.recording_error)

    def test_t15_pbx_errors_are_retried_then_given_up(self):
        self.store.files["/rec/r5.wav"] = (503, "text/plain", b"busy")
        call = self.recorded_call("r5")
        for attempt in range(1, 6):
            call.sudo().recording_next_try = fields.Datetime.now() - timedelta(seconds=1)
            self.env.flush_all()
            with self.assertLogs("odoo.addons.clinic_telephony.models.clinic_call", "WARNING"):
                self.fetch(call)
            expected = "failed" if attempt == 5 else "pending"
            self.assertEqual(call.recording_state, expected, f"attempt {attempt}")
        self.assertEqual(len(self.store.hits), 5)

    def test_t15_retention_purges_old_recordings(self):
        self.env.company.clinic_recording_retention_days = 30
        self.store.files["/rec/old.wav"] = (200, "audio/wav", AUDIO)
        self.store.files["/rec/new.wav"] = (200, "audio/wav", AUDIO)
        old = self.recorded_call("old", start=fields.Datetime.now() - timedelta(days=40))
        new = self.recorded_call("new", start=fields.Datetime.now() - timedelta(days=2))
        self.env["clinic.call"]._fetch_recordings()
        self.assertEqual(self.env["clinic.call"]._purge_recordings(), 1)
        self.assertEqual((old.recording_state, old.has_recording), ("purged", False))
        self.assertFalse(old.sudo().recording_file)
        self.assertEqual(new.recording_state, "stored")
        attachments = (
            self.env["ir.attachment"]
            .sudo()
            .search([("res_model", "=", "clinic.call"), ("res_field", "=", "recording_file")])
        )
        self.assertEqual(attachments.mapped("res_id"), [new.id])

    def test_t15_no_retention_keeps_everything(self):
        self.env.company.clinic_recording_retention_days = 0
        self.store.files["/rec/keep.wav"] = (200, "audio/wav", AUDIO)
        self.recorded_call("keep", start=fields.Datetime.now() - timedelta(days=4000))
        self.env["clinic.call"]._fetch_recordings()
        self.assertEqual(self.env["clinic.call"]._purge_recordings(), 0)


@tagged("post_install", "-at_install")
class TestRecordingPlayback(RecordingsMixin, TelephonyCommon, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        for user in (cls.operator, cls.operator2, cls.historian):
            user.password = f"{user.login}-pw"

    def setUp(self):
        super().setUp()
        self.store.files["/rec/p1.wav"] = (200, "audio/wav", AUDIO)
        self.call_ = self.fetch(self.recorded_call("p1"))
        self.assertEqual(self.call_.user_id, self.operator)
        self.url = f"/clinic/telephony/recording/{self.call_.id}"

    def get(self, login, **headers):
        self.authenticate(login, f"{login}-pw")
        return self.url_open(self.url, headers=headers, allow_redirects=False)

    def test_t15_played_through_odoo_with_range(self):
        response = self.get("clinic_historian")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.headers["Content-Type"], "audio/wav")
        self.assertEqual(response.content, AUDIO)
        partial = self.get("clinic_historian", Range="bytes=0-99")
        self.assertEqual(partial.status_code, 206)
        self.assertEqual(partial.content, AUDIO[:100])
        self.assertEqual(partial.headers["Content-Range"], f"bytes 0-99/{len(AUDIO)}")

    def test_t15_the_call_s_own_operator_plays_it_a_colleague_does_not(self):
        self.assertEqual(self.get("clinic_operator").content, AUDIO)
        self.assertEqual(self.get("clinic_operator2").status_code, 403)
        self.authenticate(None, None)
        response = self.url_open(self.url, allow_redirects=False)
        self.assertIn(response.status_code, (302, 303))
        self.assertIn("/web/login", response.headers["Location"])

    def test_t15_pbx_address_reaches_no_browser(self):
        pbx_address = self.store.base.split("//")[1]
        readable = self.env["clinic.call"].with_user(self.historian).fields_get()
        self.authenticate("clinic_historian", "clinic_historian-pw")
        answers = [
            self.make_jsonrpc_request(
                "/web/dataset/call_kw/clinic.call/search_read",
                {"model": "clinic.call", "method": "search_read", "args": [[]], "kwargs": {}},
            ),
            self.make_jsonrpc_request(
                "/web/dataset/call_kw/clinic.call/web_read",
                {
                    "model": "clinic.call",
                    "method": "web_read",
                    "args": [[self.call_.id]],
                    "kwargs": {
                        # every field the historian may read, as the web client asks
                        "specification": dict.fromkeys(readable, {})
                    },
                },
            ),
        ]
        playback = self.url_open(self.url)
        self.assertNotIn(pbx_address, str(answers))
        self.assertNotIn(pbx_address, str(dict(playback.headers)))
        self.assertNotIn(pbx_address.encode(), playback.content)

    def test_t15_missing_or_purged_recording_is_404(self):
        self.assertEqual(
            self.url_open("/clinic/telephony/recording/999999", allow_redirects=False).status_code,
            303,  # not logged in yet
        )
        self.authenticate("clinic_historian", "clinic_historian-pw")
        self.assertEqual(self.url_open("/clinic/telephony/recording/999999").status_code, 404)
        self.call_.start_date = fields.Datetime.now() - timedelta(days=400)
        self.env["clinic.call"]._purge_recordings()
        self.assertEqual(self.url_open(self.url).status_code, 404)

    def test_r6_other_company_cannot_play(self):
        other = self.env["res.company"].create({"name": "Other clinic"})
        stranger = new_test_user(
            self.env,
            login="clinic_stranger",
            password="clinic_stranger-pw",
            groups="clinic_telephony.group_call_history",
            company_id=other.id,
            company_ids=[(6, 0, other.ids)],
        )
        self.assertTrue(stranger)
        self.assertEqual(self.get("clinic_stranger").status_code, 403)
