"""A duration the working calendar cannot count is a deploy problem on its
element (time standard or timer), in both languages, never a crash at run time."""
import pytest

from engine.definitions.problems import DeployError
from tests.engine.test_deploy_validation import _compile, sop_variant

SP05_STANDARD = b'value="PT15M" />'
B08_TIMER = b'<bpmn:timeDate xsi:type="bpmn:tFormalExpression">due_T08_review_draft</bpmn:timeDate>'
BAD = [("P1M", "months and years"), ("P1Y", "months and years"), ("PT", "empty"), ("P-1D", "negative"),
       ("garbage", "not an ISO 8601 duration"), ("PT1.5H", "whole numbers")]


def problems_of(bpmn, forms):
    with pytest.raises(DeployError) as caught:
        _compile(bpmn, forms)
    return caught.value.problems


@pytest.mark.parametrize("value, reason", BAD, ids=[v for v, _ in BAD])
def test_a_time_standard_the_calendar_cannot_count(value, reason):
    problems = problems_of(*sop_variant(SP05_STANDARD, f'value="{value}" />'.encode()))
    [problem] = [p for p in problems if p.element_id == "SP05_create_meeting"]
    assert problem.message_en.startswith(f"time standard '{value}': ")
    assert reason in problem.message_en and f"standar waktu '{value}'" in problem.message_id


@pytest.mark.parametrize("value, reason", BAD, ids=[v for v, _ in BAD])
def test_a_timer_duration_the_calendar_cannot_count(value, reason):
    timer = f'<bpmn:timeDuration xsi:type="bpmn:tFormalExpression">"{value}"</bpmn:timeDuration>'.encode()
    problems = problems_of(*sop_variant(B08_TIMER, timer))
    durations = [p for p in problems if p.element_id == "B08_sla_timer" and "timer duration" in p.message_en]
    assert len(durations) == 1 and reason in durations[0].message_en
    assert f"durasi timer '{value}'" in durations[0].message_id


@pytest.mark.parametrize("expression", ['"PT30M"', "'P1D'", "wait_for"])
def test_a_countable_or_computed_timer_duration_is_no_duration_problem(expression):
    timer = f'<bpmn:timeDuration xsi:type="bpmn:tFormalExpression">{expression}</bpmn:timeDuration>'.encode()
    problems = problems_of(*sop_variant(B08_TIMER, timer))  # still refused: the SLA timer must be timeDate
    assert not [p for p in problems if "timer duration" in p.message_en]
    assert [p.element_id for p in problems if "to match the time standard" in p.message_en] == ["B08_sla_timer"]
