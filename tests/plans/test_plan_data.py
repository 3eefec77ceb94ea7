"""The demo plan comes from the seed's data file, sections I–V in full."""

import json
import unicodedata
from pathlib import Path

import pytest

from cyberyouth.plans.demo import DATA_FILE
from cyberyouth.plans.models import Assignment, AssignmentRole, Plan, Task

pytestmark = pytest.mark.django_db
SEED = Path(__file__).resolve().parents[2].parent / "shared" / "seed" / "ke-hoach-311-cat-hai.txt"


def test_the_plan_has_seven_groups_and_every_lettered_task():
    plan = Plan.objects.get(year=2023, parent=None)
    assert [s.number for s in plan.sections.all()] == ["I", "II", "III", "IV", "V"]
    assert plan.task_groups.count() == 7
    letters = {g.number: [t.letter for t in g.tasks.all()] for g in plan.task_groups.all()}
    assert letters[1] == ["a", "b", "c", "d", "đ", "e"] and letters[7] == ["a", "b", "c", "d", "đ"]
    assert Task.objects.filter(group__plan=plan).count() == 31
    assert plan.signer_name == "Nguyễn Quang Vinh" and "Lưu: VT, NVLĐTBXH" in plan.recipients


@pytest.mark.skipif(not SEED.exists(), reason="shared seed not beside the repository")
def test_task_texts_are_the_seed_verbatim():
    seed = unicodedata.normalize("NFC", SEED.read_text(encoding="utf-8"))
    for task in Task.objects.filter(group__plan__year=2023, group__plan__parent=None):
        assert f"{task.letter}) {task.text}" in seed


def test_section_v_assignments():
    plan = Plan.objects.get(year=2023, parent=None)
    task = Task.objects.get(group__plan=plan, group__number=7, letter="đ")
    roles = {a.unit.code: a.role for a in Assignment.objects.filter(task=task)}
    assert roles["hp-cat-hai-nvldtbxh"] == AssignmentRole.LEAD
    assert roles["hp-cat-hai-doan"] == AssignmentRole.COORDINATE
    assert roles["gdnn-gdtx-cat-hai"] == roles["hp-cat-hai-xa-viet-hai"] == AssignmentRole.IMPLEMENT


def test_data_file_is_valid_json_and_reloading_is_idempotent(people):
    from cyberyouth.plans.services import plan_load

    data = json.loads(DATA_FILE.read_text(encoding="utf-8"))
    before = Plan.objects.count()
    assert plan_load(actor=people["sysadmin"], data=data).year == 2023
    assert Plan.objects.count() == before
