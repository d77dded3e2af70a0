"""执法流程图 drawn from the definitions the engine runs (G1)."""

import pytest

from zhifa.cases.definitions import bundled, parse
from zhifa.cases.flowchart import dot_source

PROCEDURES = [parse(raw) for raw, _ in bundled()]


@pytest.mark.parametrize("procedure", PROCEDURES, ids=lambda p: p.code)
def test_every_stage_and_action_is_drawn_g1(procedure):
    source = dot_source(procedure)
    for stage in procedure.stages.values():
        assert stage.name in source
    for action in procedure.actions.values():
        assert action.name in source


@pytest.mark.django_db
def test_portal_shows_the_flowchart_without_login_g1(client):
    assert "行政处罚一般程序" in client.get("/procedures/").content.decode()
    page = client.get("/procedures/penalty_general/").content.decode()
    assert "<svg" in page and "送达行政处罚事先告知书" in page and "陈述申辩期限" in page
    assert client.get("/procedures/no_such/").status_code == 404
