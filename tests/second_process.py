"""The second, small process bundle of the tests (``tests/fixtures/second_process``):
a room booking whose lanes carry other names than the SOP's and name their roles
by a ``role`` property. Deploying and walking it proves that pages and API read
the process key, lanes and step names from the deployed model."""
from __future__ import annotations

import io
import pathlib

BUNDLE = pathlib.Path(__file__).resolve().parent / "fixtures" / "second_process"
KEY = "room_booking"
NAME = "Peminjaman Ruang Rapat"
REQUEST = {"topic": "Rapat evaluasi SPBE", "room": "Ruang Rapat Kecil", "participants": 12}
# (element id, its name in the model, its lane, the demo user whose role the lane names)
STEPS = (("check_room", "Periksa ketersediaan ruang", "Sekretariat", "staf"),
         ("approve_booking", "Setujui peminjaman ruang", "Pimpinan", "kabid"))


def bundle() -> tuple[bytes, dict[str, bytes]]:
    """The BPMN and its forms, as bytes."""
    forms = {p.name: p.read_bytes() for p in sorted(BUNDLE.glob("*.json"))}
    return (BUNDLE / "room_booking.bpmn").read_bytes(), forms


def multipart(bpmn: bytes | None = None) -> tuple[bytes, str]:
    """The bundle (or another BPMN with its forms) as the deploy endpoint's
    multipart body and its content type."""
    from werkzeug.datastructures import FileStorage, MultiDict  # the engine's tests import no web layer
    from werkzeug.test import stream_encode_multipart
    original, forms = bundle()
    bpmn = original if bpmn is None else bpmn
    files = MultiDict([("bpmn", FileStorage(io.BytesIO(bpmn), "room_booking.bpmn"))])
    for name, body in forms.items():
        files.add("forms", FileStorage(io.BytesIO(body), name))
    stream, _length, boundary = stream_encode_multipart(files, use_tempfile=False)
    return stream.read(), f"multipart/form-data; boundary={boundary}"
