"""Semantic lint of a process model, after the XSD and before deploy.

Each rule returns problems that name the element and say, in Indonesian and
English, what is wrong, so an analyst sees them on the diagram before run time.
"""
from __future__ import annotations

import ast

from engine.calendar.durations import DurationError, parse_duration
from engine.definitions.expressions import ExpressionError, check_script, compile_expression
from engine.definitions.model import ProcessModel
from engine.definitions.problems import Problem
from engine.accounts.roles import conflicting_lane, declared_role

GATEWAYS = ("exclusiveGateway", "inclusiveGateway")
IMPLEMENTATIONS = ("class", "expression", "delegateExpression", "topic", "taskDefinition")
# Other engines' constructs vicon would silently skip, in words (Indonesian, English).
FOREIGN_WORDS = {
    "executionListener": ("pendengar eksekusi (execution listener) untuk peristiwa '{detail}'",
                          "execution listener on event '{detail}'"),
    "taskListener": ("pendengar tugas (task listener) untuk peristiwa '{detail}'", "task listener on event '{detail}'"),
    "connector": ("konektor '{detail}'", "connector '{detail}'"),
    "inputOutput": ("pemetaan masukan/keluaran (inputOutput)", "input/output mapping (inputOutput)"),
    "ioMapping": ("pemetaan masukan/keluaran (ioMapping)", "input/output mapping (ioMapping)"),
}
ENDS = ("endEvent",)


def check(model: ProcessModel, registry, forms: dict) -> list[Problem]:
    """All lint problems of ``model``."""
    problems = []
    for rule in (_user_tasks, _operators, _expressions, _time_standards, _timer_durations, _gateways, _graph,
                 _foreign):
        problems.extend(rule(model, registry, forms))
    return problems


def _p(element_id, id_msg, en_msg) -> Problem:
    return Problem(element_id, id_msg, en_msg)


def _user_tasks(model, registry, forms):
    for e in model.elements.values():
        if e.kind not in ("userTask", "manualTask"):
            continue
        role = declared_role(e.lane, model.lane_properties.get(e.lane))
        if role is None and e.lane is None:
            yield _p(e.id, "tugas harus berada di lajur peran (OPD, Kadis, Kabid, Subkoordinator, Staf, atau "
                           "lajur dengan properti 'role'), tetapi tidak berada di lajur mana pun; tambahkan "
                           "lajur peran dan letakkan tugas di dalamnya",
                     "the task must be in a role lane (OPD, Kadis, Kabid, Subkoordinator, Staf, or a lane "
                     "with a 'role' property), but it is in no lane at all; add a role lane and put the task in it")
        elif role is None:
            yield _p(e.id, f"tugas harus berada di lajur peran (OPD, Kadis, Kabid, Subkoordinator, Staf, atau "
                           f"lajur dengan properti 'role'), bukan lajur '{e.lane}'",
                     f"the task must be in a role lane (OPD, Kadis, Kabid, Subkoordinator, Staf, or a lane "
                     f"with a 'role' property), not lane '{e.lane}'")
        elif conflicting_lane(e.lane, role):
            yield _p(e.id, f"lajur '{e.lane}' adalah lajur peran lain; properti 'role' tidak boleh mengubahnya",
                     f"lane '{e.lane}' is another role's lane; its 'role' property may not change it")
        if e.kind == "userTask" and not e.form_key:
            yield _p(e.id, "tugas pengguna tidak menyebut formulir (formJsonSchemaFilename)",
                     "the user task names no form (formJsonSchemaFilename)")
        if e.kind == "userTask" and not e.variable:
            yield _p(e.id, "tugas pengguna tidak menyebut variabel hasil (variableName)",
                     "the user task names no result variable (variableName)")


def _implementations(element) -> list[tuple[str, str]]:
    """Another engine's way of running a task (a Java class, an expression, an external topic)."""
    return [(what, detail) for what, detail in element.vendor if what.split(":")[1] in IMPLEMENTATIONS]


def _operators(model, registry, forms):
    names = ", ".join(registry.names())
    for e in model.elements.values():
        if e.kind != "serviceTask" or e.operator in registry:
            continue
        foreign = _implementations(e)
        if e.operator is None and foreign:
            what, detail = foreign[0]
            yield _p(e.id, f"implementasi {_engine(what)} tidak didukung ({what} '{detail}'); pilih operator vicon "
                           f"(serviceTaskOperator): {names}",
                     f"the {_engine(what)} implementation is not supported ({what} '{detail}'); choose a vicon "
                     f"operator (serviceTaskOperator): {names}")
        elif e.operator is None:
            yield _p(e.id, f"tugas layanan belum menyebut operator vicon (serviceTaskOperator); pilih salah satu: {names}",
                     f"the service task names no vicon operator (serviceTaskOperator); choose one of: {names}")
        else:
            yield _p(e.id, f"operator layanan '{e.operator}' tidak terdaftar; yang tersedia: {names}",
                     f"service operator '{e.operator}' is not registered; available: {names}")


def _expressions(model, registry, forms):
    checks = [(f.source, f.condition, f"kondisi alur {f.id}", f"condition of flow {f.id}")
              for f in model.flows if f.condition]
    for e in model.elements.values():
        checks += [(e.id, expr, f"parameter '{pid}'", f"parameter '{pid}'") for pid, expr in e.parameters]
        if e.timer and e.timer[0] == "none":
            yield _p(e.id, "timer tanpa timeDate, timeDuration atau timeCycle",
                     "the timer has no timeDate, timeDuration or timeCycle")
        elif e.timer:
            checks.append((e.id, e.timer[1], "ekspresi timer", "timer expression"))
        for where, script in e.scripts:
            if where == "script" and not _python(e.script_format):
                continue  # the foreign format is the problem, not its syntax
            try:
                check_script(script)
            except ExpressionError as exc:
                yield _p(e.id, f"{where}: {exc.message_id}", f"{where}: {exc.message_en}")
    for element_id, expr, where_id, where_en in checks:
        try:
            compile_expression(expr)
        except ExpressionError as exc:
            yield _p(element_id, f"{where_id}: {exc.message_id}", f"{where_en}: {exc.message_en}")


def _time_standards(model, registry, forms):
    for host in model.elements.values():
        standard = host.time_standard
        if standard is None:
            continue
        try:
            parse_duration(standard)
        except DurationError as exc:
            yield _p(host.id, f"standar waktu '{exc.value}': {exc.message_id}",
                     f"time standard '{exc.value}': {exc.message_en}")
        timers = [b for b in model.boundary_events(host.id) if b.timer]
        expected = f"due_{host.id}"
        if not timers:
            yield _p(host.id, f"standar waktu {standard} tanpa timer batas; tambahkan timer timeDate '{expected}'",
                     f"time standard {standard} has no boundary timer; add a timeDate timer '{expected}'")
        for timer in timers:
            if timer.timer != ("timeDate", expected):
                yield _p(timer.id, f"timer harus timeDate '{expected}' agar sesuai standar waktu {host.id}",
                         f"the timer must be timeDate '{expected}' to match the time standard of {host.id}")


def _timer_durations(model, registry, forms):
    """A timer's duration written as a literal is checked like a time standard;
    one computed by an expression can only be judged when it runs."""
    for e in model.elements.values():
        if not e.timer or e.timer[0] != "timeDuration":
            continue
        literal = _string_literal(e.timer[1])
        if literal is None:
            continue
        try:
            parse_duration(literal)
        except DurationError as exc:
            yield _p(e.id, f"durasi timer '{exc.value}': {exc.message_id}",
                     f"timer duration '{exc.value}': {exc.message_en}")


def _string_literal(expression: str) -> str | None:
    """The text of a quoted string expression (``"PT15M"``), else None."""
    if len(expression) > 200:
        return None  # no duration is this long: the expression check judges it
    try:
        value = ast.literal_eval(expression.strip())
    except (ValueError, SyntaxError, MemoryError, RecursionError):
        return None
    return value if isinstance(value, str) else None


def _gateways(model, registry, forms):
    for e in model.elements.values():
        if e.kind not in GATEWAYS:
            continue
        out = [f for f in model.flows if f.source == e.id]
        if len(out) > 1 and not any(f.is_default for f in out) and not all(f.condition for f in out):
            yield _p(e.id, "gerbang tanpa alur bawaan (default) dan ada alur tanpa kondisi",
                     "gateway has no default flow and a flow without a condition")


def _graph(model, registry, forms):
    outgoing = {}
    for f in model.flows:
        outgoing.setdefault(f.source, []).append(f.target)
    reachable = _reachable(model, outgoing)
    for e in model.elements.values():
        if e.triggered_by_event:
            continue  # an event sub-process starts from its own start event
        if e.id not in reachable:
            yield _p(e.id, "elemen tidak dapat dicapai dari awal proses",
                     "element cannot be reached from the start of the process")
        if e.kind not in ENDS and e.id not in outgoing:
            yield _p(e.id, "elemen buntu: tidak punya alur keluar", "dead end: the element has no outgoing flow")


def _reachable(model, outgoing) -> set:
    starts = [e.id for e in model.elements.values() if e.kind == "startEvent"]
    seen, stack = set(), list(starts)
    while stack:
        node = stack.pop()
        if node in seen:
            continue
        seen.add(node)
        stack.extend(outgoing.get(node, []))
        stack.extend(b.id for b in model.boundary_events(node))
    return seen


def _engine(what: str) -> str:
    prefix = what.split(":")[0]
    return "Camunda 8/Zeebe" if prefix == "zeebe" else prefix.capitalize()


def _python(script_format: str | None) -> bool:
    return not script_format or "python" in script_format.lower()


def _foreign(model, registry, forms):
    """Other engines' constructs and scripts vicon could not run: each a problem on its element."""
    for e in model.elements.values():
        for what, detail in e.vendor:
            construct = what.split(":")[1]
            if construct in IMPLEMENTATIONS:
                if e.kind != "serviceTask" or e.operator is not None:  # else _operators named it
                    yield _p(e.id, f"implementasi {_engine(what)} ({what} '{detail}') tidak dijalankan vicon; "
                                   f"hapus, atau jadikan tugas layanan dengan operator vicon",
                             f"vicon would not run the {_engine(what)} implementation ({what} '{detail}'); remove "
                             f"it, or make this a service task with a vicon operator")
            elif construct in FOREIGN_WORDS:
                words_id, words_en = (w.format(detail=detail) for w in FOREIGN_WORDS[construct])
                yield _p(e.id, f"{words_id} dari {_engine(what)} tidak didukung dan tidak akan dijalankan; hapus, "
                               f"atau gambarkan pekerjaannya sebagai langkah di diagram",
                         f"the {_engine(what)} {words_en} is not supported and would never run; remove it, or "
                         f"draw its work as a step of the diagram")
        if e.kind == "scriptTask":
            yield from _script_task(e)


def _script_task(e):
    if not _python(e.script_format):
        yield _p(e.id, f"format skrip '{e.script_format}' tidak didukung; vicon hanya menjalankan skrip Python "
                       f"(baris 'nama = ekspresi')",
                 f"script format '{e.script_format}' is not supported; vicon runs Python scripts only "
                 f"('name = expression' lines)")
    if e.script_resource:
        yield _p(e.id, f"skrip berada di sumber luar ('{e.script_resource}') yang tidak ikut diunggah; tulis "
                       f"skripnya di dalam diagram",
                 f"the script lives in an external resource ('{e.script_resource}') that is not uploaded; write "
                 f"the script inside the diagram")
    elif not any(where == "script" for where, _ in e.scripts):
        yield _p(e.id, "tugas skrip tidak berisi skrip; tulis skripnya atau ganti dengan tugas biasa",
                 "the script task holds no script; write one or make it a plain task")
