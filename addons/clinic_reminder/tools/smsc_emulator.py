"""A local SMSC speaking SMPP 3.4, for tests, demos and benchmarks (C14).

It encodes and decodes PDUs with smpplib's own classes and follows the rules
of the SMPP v3.4 specification (Issue 1.2) that the clinic's client relies on:

* a session must bind first (4.1): ``bind_transceiver`` with the right
  ``system_id``/``password`` gets ``ESME_ROK``, a wrong one ``ESME_RBINDFAIL``
  (0x0D); ``submit_sm`` before binding is answered ``ESME_RINVBNDSTS`` (0x04);
* ``submit_sm`` (4.4) gets ``submit_sm_resp`` with the SMSC's ``message_id``; a
  destination that is no international number is ``ESME_RINVDSTADR`` (0x0B);
  every accepted ``submit_sm`` is a message handed to the network, counted in
  :attr:`SmscEmulator.messages` (SMPP has no idempotency key either);
* with ``registered_delivery`` bit 0 set, the final outcome comes back as a
  ``deliver_sm`` with ``esm_class`` 0x04 (SMSC delivery receipt, 5.2.12), the
  Appendix B text ``id:... sub:001 dlvrd:001 submit date:... done date:...
  stat:DELIVRD err:000 text:...`` and the ``receipted_message_id`` and
  ``message_state`` TLVs (5.3.2.12, 5.3.2.35);
* a patient's message (mobile originated) is a ``deliver_sm`` with
  ``esm_class`` 0 and ``data_coding`` 0x08 (UCS2) for text outside Latin-1;
* deliveries (receipts and MO) are stored and forwarded: they wait until a
  receiver or transceiver is bound, and stay queued until the ESME answers
  them with ``deliver_sm_resp`` (a dropped session gets them again at the next
  bind);
* ``enquire_link`` (4.11) is answered ``enquire_link_resp``, ``unbind`` (4.2)
  with ``unbind_resp`` and a closed connection, an unknown command with
  ``generic_nack``.

:meth:`SmscEmulator.drop` cuts every session without an unbind, as a network
failure or an SMSC restart would.
"""

import itertools
import socket
import struct
import threading
import time
from datetime import datetime

from smpplib import consts, gsm, smpp

ESME_ROK = consts.SMPP_ESME_ROK
ESME_RINVBNDSTS = consts.SMPP_ESME_RINVBNDSTS
ESME_RALYBND = consts.SMPP_ESME_RALYBND
ESME_RINVDSTADR = consts.SMPP_ESME_RINVDSTADR
ESME_RBINDFAIL = consts.SMPP_ESME_RBINDFAIL
ESME_RINVCMDID = consts.SMPP_ESME_RINVCMDID
# esm_class "xx0001xx": SMSC Delivery Receipt (SMPP 3.4, 5.2.12).
ESM_DELIVERY_RECEIPT = 0x04
BIND_COMMANDS = ("bind_transceiver", "bind_receiver", "bind_transmitter")
RECEIVING = ("bind_transceiver", "bind_receiver")
SENDING = ("bind_transceiver", "bind_transmitter")
# message_state TLV values (SMPP 3.4, 5.2.28) and Appendix B "stat" texts.
RECEIPTS = {
    "deliver": (2, "DELIVRD", "000"),
    "fail": (5, "UNDELIV", "001"),
    "reject": (8, "REJECTD", "002"),
}


class _Sequences:
    """The ``client`` smpplib's PDUs take their sequence numbers from."""

    def __init__(self):
        self._numbers = itertools.count(1)
        self.sequence = 0

    def next_sequence(self):
        self.sequence = next(self._numbers)
        return self.sequence


def encode_text(text):
    """``(short_message, data_coding)`` as an SMSC sends a mobile's text."""
    try:
        return text.encode("latin-1"), 0x03
    except UnicodeEncodeError:
        return text.encode("utf-16-be"), 0x08


class _Session:
    def __init__(self, smsc, sock):
        self.smsc = smsc
        self.sock = sock
        self.bound = None  # the bind command once bound
        self.lock = threading.Lock()
        self.in_flight = {}  # sequence -> delivery waiting for deliver_sm_resp

    def send(self, pdu):
        data = pdu.generate()
        with self.lock:
            self.sock.sendall(data)

    def read_pdu(self):
        header = self._recv(4)
        (length,) = struct.unpack(">L", header)
        return smpp.parse_pdu(
            header + self._recv(length - 4),
            client=self.smsc.sequences,
            allow_unknown_opt_params=True,
        )

    def _recv(self, size):
        chunks, got = [], 0
        while got < size:
            chunk = self.sock.recv(size - got)
            if not chunk:
                raise ConnectionError("closed")
            chunks.append(chunk)
            got += len(chunk)
        return b"".join(chunks)

    def answer(self, request, command, status=ESME_ROK, **fields):
        pdu = smpp.make_pdu(command, client=self.smsc.sequences, status=status, **fields)
        pdu.sequence = request.sequence
        self.send(pdu)


class SmscEmulator:
    """In-process SMSC on 127.0.0.1: ``start()`` it, point an SMPP gateway at ``port``."""

    def __init__(self, system_id="clinic", password="secret", outcomes=None, default="deliver"):
        self.system_id = system_id
        self.password = password
        self.outcomes = dict(outcomes or {})
        self.default = default
        # Messages handed to the network, concatenated parts joined: {"message_id", "to",
        # "from", "text"}; ``submits`` counts every accepted submit_sm PDU.
        self.messages = []
        self.submits = 0
        self._parts = {}  # (to, reference, total) -> {part number: text}
        self.binds = 0  # successful binds, to see reconnections
        self.sequences = _Sequences()
        # Cut every session when this many more submit_sm have arrived, the last one
        # unanswered and not taken (a network failure while a message is in flight).
        self.drop_at_submit = None
        self._deliveries = []  # stored deliver_sm fields waiting for a bound receiver
        self._message_ids = itertools.count(0x1000)
        self._sessions = set()
        self._lock = threading.Lock()
        self._server = None

    @property
    def port(self):
        return self._server.getsockname()[1]

    def start(self, port=0):
        self._server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._server.bind(("127.0.0.1", port))
        self._server.listen(8)
        threading.Thread(target=self._accept, daemon=True).start()
        return self

    def stop(self):
        self.drop()
        if self._server:
            self._server.close()

    def reset(self):
        with self._lock:
            self.messages.clear()
            self._deliveries.clear()

    def drop(self):
        """Cut every session at once, without unbind (a network failure)."""
        with self._lock:
            sessions, self._sessions = self._sessions, set()
            for session in sessions:
                # Deliveries sent but not acknowledged are delivered again later.
                self._deliveries[:0] = list(session.in_flight.values())
                session.in_flight.clear()
        for session in sessions:
            try:
                session.sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            session.sock.close()

    # ------------------------------------------------------------------

    def _accept(self):
        while True:
            try:
                sock, _address = self._server.accept()
            except OSError:
                return
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            session = _Session(self, sock)
            with self._lock:
                self._sessions.add(session)
            threading.Thread(target=self._serve, args=(session,), daemon=True).start()

    def _serve(self, session):
        try:
            while True:
                pdu = session.read_pdu()
                if not self._handle(session, pdu):
                    break
        except (ConnectionError, OSError, struct.error):
            pass
        finally:
            with self._lock:
                if session in self._sessions:
                    self._sessions.discard(session)
                    self._deliveries[:0] = list(session.in_flight.values())
            session.sock.close()

    def _handle(self, session, pdu):
        command = pdu.command
        if command in BIND_COMMANDS:
            if session.bound:
                session.answer(pdu, f"{command}_resp", ESME_RALYBND, system_id="smsc")
            elif (pdu.system_id or b"").decode() != self.system_id or (
                pdu.password or b""
            ).decode() != self.password:
                session.answer(pdu, f"{command}_resp", ESME_RBINDFAIL, system_id="smsc")
            else:
                session.bound = command
                with self._lock:
                    self.binds += 1
                session.answer(pdu, f"{command}_resp", system_id="smsc")
                self._forward()
        elif command == "enquire_link":
            session.answer(pdu, "enquire_link_resp")
        elif command == "unbind":
            session.answer(pdu, "unbind_resp")
            return False
        elif command == "submit_sm":
            self._submit(session, pdu)
        elif command == "deliver_sm_resp":
            with self._lock:
                session.in_flight.pop(pdu.sequence, None)
            self._forward()
        elif command.endswith("_resp"):
            pass
        else:
            session.answer(pdu, "generic_nack", ESME_RINVCMDID)
        return True

    def _submit(self, session, pdu):
        if self.drop_at_submit is not None:
            self.drop_at_submit -= 1
            if self.drop_at_submit <= 0:
                self.drop_at_submit = None
                self.drop()
                return
        if session.bound not in SENDING:
            session.answer(pdu, "submit_sm_resp", ESME_RINVBNDSTS)
            return
        to = (pdu.destination_addr or b"").decode()
        if not to.lstrip("+").isdigit() or pdu.dest_addr_ton != consts.SMPP_TON_INTL:
            session.answer(pdu, "submit_sm_resp", ESME_RINVDSTADR)
            return
        data, concatenated = pdu.short_message or b"", None
        if (pdu.esm_class or 0) & consts.SMPP_GSMFEAT_UDHI and data:
            # User data header (3GPP TS 23.040, 9.2.3.24.1): IE 0x00 = ref, total, number.
            header, data = data[1 : 1 + data[0]], data[1 + data[0] :]
            if header[:2] == b"\x00\x03":
                concatenated = (to, header[2], header[3]), header[4]
        text = self._decode(data, pdu.data_coding)
        with self._lock:
            message_id = f"{next(self._message_ids):x}"
            self.submits += 1
            if concatenated:
                key, number = concatenated
                parts = self._parts.setdefault(key, {})
                parts[number] = text
                if len(parts) == key[2]:
                    del self._parts[key]
                    text = "".join(parts[n] for n in sorted(parts))
                else:
                    text = None
            if text is not None:
                self.messages.append(
                    {
                        "message_id": message_id,
                        "to": to,
                        "from": (pdu.source_addr or b"").decode(),
                        "text": text,
                    }
                )
            outcome = self.outcomes.get(to, self.default)
            if pdu.registered_delivery & 0x01 and outcome in RECEIPTS:
                self._deliveries.append(self._receipt(message_id, to, pdu, text or "", outcome))
        session.answer(pdu, "submit_sm_resp", message_id=message_id)
        self._forward()

    @staticmethod
    def _decode(data, coding):
        if coding == consts.SMPP_ENCODING_ISO10646:
            return data.decode("utf-16-be")
        if coding == consts.SMPP_ENCODING_DEFAULT:
            # GSM 03.38 default alphabet, unpacked; 0x1B escapes to the extension table.
            table, text, escape = gsm.GSM_CHARACTER_TABLE, [], False
            for octet in data:
                if octet == 0x1B and not escape:
                    escape = True
                    continue
                text.append(table[octet + 0x80 if escape else octet])
                escape = False
            return "".join(text)
        return data.decode("latin-1")

    @staticmethod
    def _receipt(message_id, to, pdu, text, outcome):
        state, stat, err = RECEIPTS[outcome]
        stamp = datetime.utcnow().strftime("%y%m%d%H%M")
        dlvrd = "001" if stat == "DELIVRD" else "000"
        body = (
            f"id:{message_id} sub:001 dlvrd:{dlvrd} submit date:{stamp} done date:{stamp} "
            f"stat:{stat} err:{err} text:{text[:20]}"
        )
        return {
            "source_addr_ton": consts.SMPP_TON_INTL,
            "source_addr": to,
            "dest_addr_ton": pdu.source_addr_ton,
            "destination_addr": (pdu.source_addr or b"").decode(),
            "esm_class": ESM_DELIVERY_RECEIPT,
            "data_coding": 0,
            "short_message": body.encode("latin-1", errors="replace"),
            "receipted_message_id": message_id,
            "message_state": state,
        }

    def mobile_originated(self, sender, to, text):
        """A patient texts the clinic's number: stored until a receiver is bound."""
        short_message, coding = encode_text(text)
        with self._lock:
            self._deliveries.append(
                {
                    "source_addr_ton": consts.SMPP_TON_INTL,
                    "source_addr": sender.lstrip("+"),
                    "dest_addr_ton": consts.SMPP_TON_INTL,
                    "destination_addr": to.lstrip("+"),
                    "esm_class": 0,
                    "data_coding": coding,
                    "short_message": short_message,
                }
            )
        self._forward()

    def count_to(self, number):
        return sum(1 for message in self.messages if message["to"] == number.lstrip("+"))

    def waiting(self):
        """Deliveries (receipts and MO) not acknowledged by the clinic yet."""
        with self._lock:
            return len(self._deliveries) + sum(len(s.in_flight) for s in self._sessions)

    def _forward(self):
        """Hand stored deliveries to a bound receiver, one PDU per delivery."""
        with self._lock:
            receivers = [s for s in self._sessions if s.bound in RECEIVING]
            if not receivers or not self._deliveries:
                return
            session = receivers[0]
            deliveries, self._deliveries = self._deliveries, []
            sent = []
            for fields in deliveries:
                pdu = smpp.make_pdu("deliver_sm", client=self.sequences, **fields)
                session.in_flight[pdu.sequence] = fields
                sent.append(pdu)
        for pdu in sent:
            try:
                session.send(pdu)
            except OSError:
                return

    def wait_for(self, condition, timeout=5.0):
        """Wait until ``condition()`` holds (tests)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if condition():
                return True
            time.sleep(0.01)
        return condition()
