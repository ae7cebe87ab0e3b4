"""Customer list models under pytest-qt's model tester: search results, matches with reasons, duplicates."""

from __future__ import annotations

from omnidesk.client.models.customer import CustomerResultsModel, CustomerRole, DuplicatesModel
from tests.client.customer_factories import DMITRY, OKSANA, OKSANA_LATIN, match, suggestion


def test_search_results_and_matches_show_names_identifiers_and_reasons(qapp, qtmodeltester):
    model = CustomerResultsModel()
    qtmodeltester.check(model)
    model.set_summaries([OKSANA, DMITRY])
    qtmodeltester.check(model)
    first = model.index(0, 0)
    assert model.data(first) == "Оксана Петренко"
    assert model.data(first, CustomerRole.IDENTITIES) == "+380 50 123 4567, @kusya_99"
    assert model.data(first, CustomerRole.SEGMENT) == "VIP"
    assert model.data(first, CustomerRole.FIRST_KIND) == "phone"
    assert model.data(first, CustomerRole.SCORE) is None
    model.set_matches([match(OKSANA, 0.97)])
    qtmodeltester.check(model)
    assert model.rowCount() == 1
    assert model.data(model.index(0, 0), CustomerRole.SCORE) == 0.97
    assert model.data(model.index(0, 0), CustomerRole.REASONS) == "the same phone +380501234567"
    assert model.summary_at(0) == OKSANA and model.summary_at(5) is None


def test_duplicates_show_the_other_customer_of_each_pair(qapp, qtmodeltester):
    model = DuplicatesModel()
    qtmodeltester.check(model)
    pairs = [suggestion(1, OKSANA, OKSANA_LATIN, 0.91), suggestion(2, DMITRY, OKSANA, 0.55)]
    model.set_suggestions(OKSANA.id, pairs)
    qtmodeltester.check(model)
    names = [model.data(model.index(row, 0)) for row in range(model.rowCount())]
    assert names == ["Oksana Petrenko", "Дмитрий Соколов"]
    assert "Оксана Петренко and Oksana Petrenko" in model.data(model.index(0, 0), CustomerRole.REASONS)
    model.remove(1)
    assert [model.data(model.index(row, 0), CustomerRole.ID) for row in range(model.rowCount())] == [DMITRY.id]
    model.set_suggestions(DMITRY.id, pairs)
    assert [model.data(model.index(row, 0)) for row in range(model.rowCount())] == ["Оксана Петренко"]
