"""The clinic's side of an SMPP 3.4 session with a carrier's SMSC, over smpplib (C14).

Where the session lives: the outbox dispatcher binds one transceiver session per
run (``bind_transceiver``), submits its batches on it, collects whatever the
SMSC delivers meanwhile (delivery receipts, patients' replies) and unbinds; the
receipts cron binds once a minute to collect what arrived in between. Odoo's
cron workers are the processes that can hold a connection for a while, a
session never outlives the transaction that records its work, and SMSCs store
deliveries for an ESME that is not bound and forward them at its next bind
(the emulator does). See the addon's ``readme/CONFIGURE.md``.

Failures are told apart because the outbox must never send twice (C11):

* :class:`NotSent`: the ``submit_sm`` never left (no connection, bind refused):
  the message may be tried again;
* :class:`Refused`: the SMSC answered with an error status: the message failed;
* :class:`Unanswered`: the ``submit_sm`` left but no ``submit_sm_resp`` came
  back (connection lost, timeout): the outcome is unknown.

Deliveries are acknowledged (``deliver_sm_resp``) only when the caller says the
clinic has recorded them (:meth:`SmppSession.ack`): a crash before that makes
the SMSC deliver them again, and recording them twice changes nothing.
"""

import logging
import re
import select
import socket
import time

from smpplib import consts, exceptions, gsm, smpp
from smpplib.client import Client

_logger = logging.getLogger(__name__)

ESM_TYPE_MASK = 0x3C  # bits 5-2 of esm_class: message type (SMPP 3.4, 5.2.12)
ESM_DELIVERY_RECEIPT = 0x04
# message_state TLV (5.2.28) -> our delivery states
MESSAGE_STATES = {2: "delivered", 3: "failed", 4: "failed", 5: "failed", 8: "failed"}
# "stat:" of the Appendix B receipt text -> our delivery states
RECEIPT_STATS = {
    "DELIVRD": "delivered",
    "EXPIRED": "failed",
    "DELETED": "failed",
    "UNDELIV": "failed",
    "REJECTD": "failed",
}
RECEIPT_TEXT = re.compile(r"\bid:(?P<id>\S+).*?\bstat:(?P<stat>[A-Z]+)", re.IGNORECASE | re.DOTALL)


class SmppError(Exception):
    """A submit that did not end with a message id."""


class NotSent(SmppError):
    """Nothing reached the SMSC: safe to try again."""


class Refused(SmppError):
    """The SMSC refused the message (``status`` is the SMPP command status)."""

    def __init__(self, status):
        self.status = status
        super().__init__(f"SMSC refused: {consts.DESCRIPTIONS.get(status, hex(status))}")


class Unanswered(SmppError):
    """The message left, its answer did not come: it may or may not be sent."""


def decode_text(data, coding):
    """Text of a ``short_message``/``message_payload`` in ``data_coding`` (5.2.19)."""
    data = data or b""
    if coding == consts.SMPP_ENCODING_ISO10646:
        return data.decode("utf-16-be", errors="replace")
    if coding == consts.SMPP_ENCODING_DEFAULT:
        # SMSC default alphabet: GSM 03.38, one septet per octet, 0x1B escapes.
        table, chars, escape = gsm.GSM_CHARACTER_TABLE, [], False
        for octet in data:
            index = octet + 0x80 if escape else octet
            escape = octet == 0x1B and not escape
            if not escape:
                chars.append(table[index] if index < len(table) else "?")
        return "".join(chars)
    return data.decode("latin-1")


class Delivery:
    """One ``deliver_sm``: a delivery receipt or a patient's message."""

    __slots__ = ("session", "sequence", "receipt", "message_id", "status", "sender", "to", "text")

    def __init__(self, sequence, receipt, message_id, status, sender, to, text):
        self.session = None  # the bind it came on: only that bind can acknowledge it
        self.sequence = sequence
        self.receipt = receipt
        self.message_id = message_id
        self.status = status
        self.sender = sender
        self.to = to
        self.text = text

    @classmethod
    def from_pdu(cls, pdu):
        text = decode_text(pdu.short_message or pdu.message_payload, pdu.data_coding)
        sender = (pdu.source_addr or b"").decode()
        to = (pdu.destination_addr or b"").decode()
        if (pdu.esm_class or 0) & ESM_TYPE_MASK != ESM_DELIVERY_RECEIPT:
            return cls(pdu.sequence, False, None, None, sender, to, text)
        # The TLVs (5.3.2.12, 5.3.2.35) first, the Appendix B text for older SMSCs.
        message_id = pdu.receipted_message_id
        message_id = message_id.decode() if isinstance(message_id, bytes) else message_id
        status = MESSAGE_STATES.get(pdu.message_state)
        match = RECEIPT_TEXT.search(text)
        if match:
            message_id = message_id or match["id"]
            status = status or RECEIPT_STATS.get(match["stat"].upper())
        return cls(pdu.sequence, True, message_id, status, sender, to, text)


class SmppSession:
    """One bound transceiver session; binds lazily and again after a drop."""

    def __init__(
        self,
        host,
        port,
        system_id,
        password,
        source_addr="",
        system_type="",
        timeout=10.0,
        bind_tries=3,
        backoff=0.5,
    ):
        self.host, self.port = host, int(port)
        self.system_id, self.password, self.system_type = system_id, password, system_type
        self.source_addr = source_addr
        self.timeout = timeout
        self.bind_tries = bind_tries
        self.backoff = backoff
        self.binds = 0
        self.deliveries = []  # received, not acknowledged yet
        self._client = None

    # -- connection -----------------------------------------------------------

    def _bind_once(self):
        client = Client(
            self.host,
            self.port,
            timeout=self.timeout,
            logger_name=__name__,
            allow_unknown_opt_params=True,
        )
        client.connect()
        try:
            client.bind_transceiver(
                system_id=self.system_id,
                password=self.password,
                system_type=self.system_type,
                interface_version=0x34,
            )
        except Exception:
            client.disconnect()
            raise
        client._socket.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        return client

    def bind(self):
        """Bound session, reconnecting with exponential back-off; :class:`NotSent` if not."""
        if self._client is not None and self._alive():
            return
        self._drop_client()
        error = None
        for attempt in range(self.bind_tries):
            if attempt:
                time.sleep(self.backoff * 2 ** (attempt - 1))
            try:
                self._client = self._bind_once()
                self.binds += 1
                return
            except (exceptions.ConnectionError, exceptions.PDUError, OSError) as exc:
                error = exc
                _logger.warning("SMPP bind to %s:%s failed: %s", self.host, self.port, exc)
        raise NotSent(f"cannot bind to the SMSC: {error}")

    def _alive(self):
        """Read what the SMSC sent meanwhile; False once it closed the connection."""
        try:
            while select.select([self._client._socket], [], [], 0)[0]:
                self._handle(self._client.read_pdu())
        except (exceptions.ConnectionError, exceptions.PDUError, OSError):
            return False
        return True

    def _drop_client(self):
        # Deliveries of a lost bind come again, with new sequence numbers, at the next one.
        self.deliveries = []
        if self._client is not None:
            try:
                self._client.disconnect()
            except OSError:
                pass
            self._client = None

    def close(self):
        """Unbind politely; a dead connection is simply dropped."""
        if self._client is not None:
            try:
                self._client.unbind()
            except (exceptions.ConnectionError, exceptions.PDUError, OSError):
                pass
            self._drop_client()

    # -- PDUs -------------------------------------------------------------------

    def _handle(self, pdu):
        """Answer what the SMSC asks; keep deliveries. Returns the PDU for the caller."""
        if pdu.command == "deliver_sm":
            delivery = Delivery.from_pdu(pdu)
            delivery.session = self.binds
            self.deliveries.append(delivery)
        elif pdu.command == "enquire_link":
            resp = smpp.make_pdu("enquire_link_resp", client=self._client)
            resp.sequence = pdu.sequence
            self._client.send_pdu(resp)
        return pdu

    def submit(self, destination, text, registered_delivery=True):
        """Hand one message to the SMSC; its ``message_id`` (of the first part)."""
        self.bind()
        parts, coding, esm_class = gsm.make_parts(text)
        message_id = None
        for index, part in enumerate(parts):
            try:
                pdu = self._client.send_message(
                    source_addr_ton=consts.SMPP_TON_ALNUM
                    if self.source_addr and not self.source_addr.isdigit()
                    else consts.SMPP_TON_INTL,
                    source_addr_npi=consts.SMPP_NPI_ISDN,
                    source_addr=self.source_addr,
                    dest_addr_ton=consts.SMPP_TON_INTL,
                    dest_addr_npi=consts.SMPP_NPI_ISDN,
                    destination_addr=destination.lstrip("+"),
                    short_message=part,
                    data_coding=coding,
                    esm_class=esm_class,
                    registered_delivery=1 if registered_delivery else 0,
                )
            except (exceptions.ConnectionError, OSError) as exc:
                self._drop_client()
                if index == 0:
                    raise NotSent(str(exc) or "connection lost") from exc
                raise Unanswered("connection lost between the parts of a message") from exc
            part_id = self._wait_response(pdu.sequence)
            message_id = message_id or part_id
        return message_id

    def _wait_response(self, sequence):
        deadline = time.monotonic() + self.timeout
        while time.monotonic() < deadline:
            try:
                pdu = self._handle(self._client.read_pdu())
            except (exceptions.ConnectionError, exceptions.PDUError, OSError) as exc:
                self._drop_client()
                raise Unanswered(str(exc) or "connection lost") from exc
            if pdu.command in ("submit_sm_resp", "generic_nack") and pdu.sequence == sequence:
                if pdu.status != consts.SMPP_ESME_ROK:
                    raise Refused(pdu.status)
                message_id = pdu.message_id
                return message_id.decode() if isinstance(message_id, bytes) else message_id
        self._drop_client()
        raise Unanswered("no submit_sm_resp in time")

    def collect(self, idle=0.5, limit=10.0):
        """Bind and read deliveries until the SMSC is quiet for ``idle`` seconds.

        Sends ``enquire_link`` when quiet, as SMPP 3.4 (4.11) has ESMEs probe the
        link. Returns the deliveries not acknowledged yet.
        """
        self.bind()
        deadline = time.monotonic() + limit
        quiet_since = time.monotonic()
        probed = False
        while time.monotonic() < deadline:
            try:
                ready = select.select([self._client._socket], [], [], 0.05)[0]
                if ready:
                    self._handle(self._client.read_pdu())
                    quiet_since, probed = time.monotonic(), False
                elif time.monotonic() - quiet_since >= idle:
                    if probed:
                        break
                    self._client.send_pdu(smpp.make_pdu("enquire_link", client=self._client))
                    probed = True
            except (exceptions.ConnectionError, exceptions.PDUError, OSError):
                self._drop_client()
                self.bind()
        return list(self.deliveries)

    def ack(self, deliveries):
        """``deliver_sm_resp`` for ``deliveries`` the clinic has recorded."""
        for delivery in deliveries:
            if self._client is None or delivery.session != self.binds:
                continue  # the SMSC delivers it again at the next bind
            resp = smpp.make_pdu("deliver_sm_resp", client=self._client)
            resp.sequence = delivery.sequence
            try:
                self._client.send_pdu(resp)
            except (exceptions.ConnectionError, OSError):
                self._drop_client()
                break
        self.deliveries = [d for d in self.deliveries if d not in deliveries]
