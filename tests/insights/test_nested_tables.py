"""Boroughs add up into integrated care boards: the borough table and the board table of the same figures are
suppressed together, so setting one beside the other gives no hidden borough back (ADR 0017, 0019)."""

from insights import tables

# Places [taken, not taken]. Southwark and Lambeth are in South East London; Camden alone in North Central London.
BOROUGHS = {"Southwark": [9, 10], "Lambeth": [4, 10], "Camden": [5, 10]}
BOARDS = {"South East London": [13, 20], "North Central London": [5, 10]}


def test_apart_the_board_table_gives_the_hidden_borough_back():
    by_borough = tables.places_table(BOROUGHS, "borough")
    by_board = tables.places_table(BOARDS, "icb")
    # Alone, the borough table hides Lambeth's 4 and, to protect it, Camden's 5 ...
    assert by_borough.rows[:2] == [
        ["Camden", "15", "hidden", "hidden", "not shown"],
        ["Lambeth", "14", "fewer than 5", "hidden", "not shown"],
    ]
    # ... but North Central London is Camden alone: 5, so Lambeth is 18 - 9 - 5 = 4.
    assert by_board.rows[0][:3] == ["North Central London", "15", "5"]


def test_together_the_hidden_borough_stays_hidden_beside_the_board_table():
    by_borough = tables.places_table(BOROUGHS, "borough", boroughs=BOROUGHS)
    by_board = tables.places_table(BOARDS, "icb", boroughs=BOROUGHS)
    # Camden's 5 is shown (the board says it anyway); within South East London, Southwark hides with Lambeth:
    # 13 taken between them fits 4 + 9, 3 + 10, 2 + 11 ...
    assert by_borough.rows == [
        ["Camden", "15", "5", "10", "33.3%"],
        ["Lambeth", "14", "fewer than 5", "hidden", "not shown"],
        ["Southwark", "19", "hidden", "hidden", "not shown"],
    ]
    assert by_board.rows == [
        ["North Central London", "15", "5", "10", "33.3%"],
        ["South East London", "33", "13", "20", "39.4%"],
    ]
    assert by_borough.total == by_board.total == ["All places", "48", "18", "30", "37.5%"]


def test_the_board_rows_are_the_sums_of_the_borough_rows_and_other_breakdowns_are_alone():
    # A board row comes from the borough counts, whatever the board counts given say.
    stale = {"South East London": [1, 1]}
    assert tables.places_table(stale, "icb", boroughs=BOROUGHS).rows[1][:3] == ["South East London", "33", "13"]
    assert tables.places_table({"Nursing": [9, 10]}, "profession", boroughs=BOROUGHS).rows == [
        ["Nursing", "19", "9", "10", "47.4%"]
    ]


def test_vacancies_beside_places_by_board_keep_boards_without_places():
    demand = {"North West London": [12.5, 0.0], "South East London": [100.0, 20.0]}
    table = tables.supply_demand_table(BOARDS, demand, "icb", boroughs=BOROUGHS)
    assert [row[:3] for row in table.rows] == [
        ["North Central London", "15", "5"],
        ["North West London", "0", "0"],
        ["South East London", "33", "13"],
    ]
    assert tables.supply_demand_table({}, demand, "icb", boroughs={}).rows[0][:3] == ["North West London", "0", "0"]


def test_applicants_by_borough_and_by_board_hide_the_same_way():
    # [completed, did not attend, accepted other, offered not accepted, not placed, withdrew, waiting]
    boroughs = {"Southwark": [9, 0, 0, 0, 6, 0, 0], "Lambeth": [4, 0, 0, 0, 6, 0, 0], "Camden": [5, 0, 0, 0, 0, 0, 0]}
    by_borough = tables.funnel_table({}, "borough", boroughs=boroughs)
    by_board = tables.funnel_table({}, "icb", boroughs=boroughs)
    assert [row[0] for row in by_borough.rows] == ["Camden", "Lambeth", "Southwark"]
    assert by_borough.rows[1][4] == "fewer than 5"  # Lambeth completed
    assert by_borough.rows[2][4] == "hidden"  # Southwark's 9, else 13 - 9 gives Lambeth back
    assert by_board.rows[1][:5] == ["South East London", "25", "13", "13", "13"]
    # Camden alone in its board: the same figures at both levels.
    assert by_borough.rows[0][1:] == by_board.rows[0][1:]
