"""The demo 检查对象名录 and task: valid 统一社会信用代码 (GB 32100), a confirmed draw that can be
recomputed from its seed, and one inspection carried to a result."""

import pytest

from zhifa.core.demo import load_demo
from zhifa.core.rules import credit_code_error, id_number_error
from zhifa.inspections import services
from zhifa.inspections.models import InspectionTarget, InspectionTask, TaskStatus

pytestmark = pytest.mark.django_db


@pytest.fixture
def loaded(settings, tmp_path):
    """The whole demo, as ``make run`` loads it (this step runs after the cases step)."""
    settings.MEDIA_ROOT = tmp_path
    return load_demo()


def test_demo_directory_task_and_result(loaded):
    targets = list(InspectionTarget.objects.all())
    assert len(targets) >= 10
    assert all(credit_code_error(t.credit_code) is None for t in targets)
    assert all(id_number_error(t.operator_id_number) is None for t in targets if t.operator_id_number)
    task = InspectionTask.objects.get()
    assert task.status == TaskStatus.CONFIRMED
    draw = services.current_draw(task)
    assert services.replay(draw)
    assignments = list(services.task_assignments(task))
    assert len(assignments) == 4 and all(a.case_id for a in assignments)
    progress = services.progress(assignments)
    assert progress.by_result == [("发现问题，责令限期改正", 1)]
    resulted = next(a.case for a in assignments if a.case.outcome)
    assert resulted.deadlines.get(code="correction").days == 15
