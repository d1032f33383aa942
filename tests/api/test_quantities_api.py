"""``GET /api/v1/quantities``: the table of quantities served as it is declared."""

from postmine.data.quantities import all_quantities, quantity


def test_every_quantity_is_served_without_a_token(api):
    response = api.get("/quantities")
    assert response.status_code == 200
    rows = response.json()
    assert [r["key"] for r in rows] == sorted(all_quantities())
    by_key = {r["key"]: r for r in rows}
    info = quantity("land_restoration_percent")
    assert by_key["land_restoration_percent"] == {
        "key": "land_restoration_percent",
        "symbol": info.symbol,
        "unit": "%",
        "en": info.en,
        "ru": info.ru,
        "source": "004 PR3, Eq. 3.12",
    }


def test_rows_of_one_source(api):
    rows = api.get("/quantities", source="004 pr3").json()
    assert rows
    assert all("004 PR3" in r["source"] for r in rows)
    assert "slide_prism_width_m" not in {r["key"] for r in rows}


def test_one_quantity_and_a_missing_one(api):
    row = api.get("/quantities/slide_prism_width_m").json()
    assert (row["symbol"], row["unit"], row["ru"]) == ("П", "m", "ширина призмы обрушения")
    missing = api.get("/quantities/no_such_m")
    assert missing.status_code == 404
    assert missing.json() == {"detail": "quantity 'no_such_m' is not declared"}
