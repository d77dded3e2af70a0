from datetime import date

import pytest

from zhifa.personnel.tests.factories import qualified_officer


@pytest.fixture
def officers(world):
    """Two officers of 示范市市场监管局 who may enforce 市场监管 in 示范市 today."""
    return [qualified_officer(world, name="张明")[0], qualified_officer(world, name="李强")[0]]


@pytest.fixture
def make_case(world, officers):
    from zhifa.cases.services import create_case

    def make(procedure="penalty_summary", parties=None, user=None, **fields):
        values = {
            "source": "inspection",
            "field": world.fields["market"],
            "region": world.regions["city"],
            "cause": "未按规定明码标价",
            "discovered_on": date.today(),
            **fields,
        }
        return create_case(
            user or world.users["market_officer"],
            agency=world.orgs["market"],
            procedure_code=procedure,
            parties=parties
            or [
                {
                    "kind": "legal_person",
                    "name": "示范市某某超市有限公司",
                    "credit_code": "91350100M000100Y43",
                    "address": "示范市人民路1号",
                    "legal_representative": "王某",
                }
            ],
            officer_ids=[o.pk for o in officers] if procedure != "penalty_general" else (),
            **values,
        )

    return make
