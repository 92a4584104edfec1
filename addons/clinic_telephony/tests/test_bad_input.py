"""Strangers' bad input on the PBX routes: a 4xx with a short JSON answer, never a 500
(T2 contract, T11, R1, issue 11.8). One test per reproduction, over HTTP."""

from odoo.tests import HttpCase, tagged

from .common import TelephonyCommon


@tagged("post_install", "-at_install")
class TestPbxRoutesBadInput(TelephonyCommon, HttpCase):
    def test_r1_nul_in_the_pbx_code_404(self):
        for response in (
            self.url_open("/clinic/telephony/%00/events", data=b"{}"),
            self.url_open("/clinic/telephony/%00x/callerid?number=1"),
        ):
            with self.subTest(url=response.url):
                self.assertEqual(response.status_code, 404, response.text[:200])
                self.assertEqual(response.json(), {"status": "error", "error": "unknown pbx"})
