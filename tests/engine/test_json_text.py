"""JSON written and read by orjson loses nothing to it: what orjson refuses or would read
otherwise (integers past 64 bits, which it reads as floats; NaN) goes through the standard
library, and so does text stored before orjson, in the JSON columns of a real database too."""
import json
import math

from sqlalchemy import JSON, Column, Integer, MetaData, Table, insert, select, text

from engine.storage import json_text
from engine.storage.db import Database

HUGE = {"count": 10 ** 25 + 7, "nested": [{"b": -(2 ** 65) - 1, "a": "é"}]}  # no float holds them


def test_what_orjson_refuses_is_written_and_read_by_the_standard_library():
    again = json_text.loads(json_text.dumps(HUGE))
    assert again == HUGE and isinstance(again["count"], int)
    assert json_text.loads(json_text.dumps([10 ** 25 + 7]).decode("utf-8")) == [10 ** 25 + 7]
    sorted_text = json_text.dumps({"b": 2 ** 70, "a": 1}, option=json_text.orjson.OPT_SORT_KEYS)
    assert list(json_text.loads(sorted_text)) == ["a", "b"]
    assert math.isnan(json_text.loads(json.dumps({"ratio": float("nan")}))["ratio"])


def test_text_stored_before_orjson_reads_as_the_standard_library_reads_it():
    for value in (HUGE, {"a": "x\": y", "b": [1.5, None]}, [{"count": 10 ** 25 + 7}]):
        stored = json.dumps(value)
        assert json_text.loads(stored) == json.loads(stored) == value
        assert json_text.loads(stored.encode("utf-8")) == value


def test_a_json_column_keeps_huge_integers_and_reads_rows_with_nan(tmp_path):
    db = Database(f"sqlite:///{tmp_path}/json.sqlite")
    table = Table("values_kept", MetaData(), Column("id", Integer, primary_key=True), Column("data", JSON))
    table.create(db.write_engine)
    with db.transaction() as session:
        session.execute(insert(table).values(id=1, data=HUGE))
        session.execute(text("INSERT INTO values_kept (id, data) VALUES (2, :data)"),
                        {"data": json.dumps({"ratio": float("nan")})})  # as the standard encoder stored it
    with db.reading() as session:
        rows = dict(session.execute(select(table.c.id, table.c.data)).all())
    assert rows[1] == HUGE and math.isnan(rows[2]["ratio"])
    db.dispose()
