"""The per-section view runs a fixed number of SQL queries however many answers there are."""
import pytest
import sqlalchemy as sa

from core.extensions import db
from core.models import Organisation
from surveys.remiss import answering, review, themes
from surveys.remiss.models import CommentTag, KeyQuote, SectionAnswer


class QueryCounter:
    def __init__(self, engine):
        self.engine = engine
        self.count = 0

    def __call__(self, conn, cursor, statement, parameters, context, executemany):
        # Queries only: the test fixtures' savepoints (and SQLite's BEGIN) are transaction control.
        if not statement.lstrip().upper().startswith(("SAVEPOINT", "RELEASE", "ROLLBACK", "BEGIN")):
            self.count += 1

    def __enter__(self):
        sa.event.listen(self.engine, "before_cursor_execute", self)
        return self

    def __exit__(self, *exc):
        sa.event.remove(self.engine, "before_cursor_execute", self)


def _add_answers(db, remiss, n, start):
    for i in range(start, start + n):
        org = Organisation(name=f"Förening {i:03d}", legal_form="forening", sub_region="fyrbodal")
        db.session.add(org)
        db.session.flush()
        answer = answering.RemissAnswer(remiss_id=remiss.id, organisation_id=org.id, final_position="tillstyrker",
                                        submitted_at=answering.utcnow())
        db.session.add(answer)
        db.session.flush()
        for s in remiss.sections:
            row = SectionAnswer(answer_id=answer.id, section_id=s.id, final_comment=f"Kommentar {i}",
                                has_final=True)
            row.tags.append(CommentTag(tag="Dialog"))
            row.quotes.append(KeyQuote(text=f"Citat {i}"))
            db.session.add(row)
    db.session.commit()


def _count(client, url):
    with QueryCounter(db.engine) as counter:
        response = client.get(url)
    assert response.status_code == 200
    return counter.count, response.get_data(as_text=True)


@pytest.mark.parametrize("path", ["/oversikt/avsnitt/2", "/oversikt", "/sammanstallning"])
def test_bounded_queries(client, auth, skrivare, make_remiss, db, path):
    remiss = make_remiss()
    auth.login_as(skrivare)
    url = f"/remisser/{remiss.id}{path}"
    _add_answers(db, remiss, 3, 0)
    few, html = _count(client, url)
    _add_answers(db, remiss, 30, 100)
    many, html = _count(client, url)
    if path.endswith("avsnitt/2"):
        assert html.count('class="card remiss-comment"') == 33
        assert "Citat 129" in html
    assert many == few, f"{path}: {few} queries for 3 answers but {many} for 33"
    # 13 on the per-section view since it shows the section's written summary beside the comments (issue 12).
    assert few <= (13 if path.endswith("avsnitt/2") else 12)


def test_section_comments_service_is_four_queries(make_remiss, db):
    remiss = make_remiss()
    _add_answers(db, remiss, 20, 0)
    db.session.expire_all()
    section = remiss.sections[0]
    with QueryCounter(db.engine) as counter:
        rows = review.section_comments(remiss, section)
        for row in rows:
            _ = (row.answer.organisation.name, [t.tag for t in row.tags], [q.text for q in row.quotes])
    assert len(rows) == 20
    assert counter.count <= 3


def _plans(db, run):
    """SQLite's query plan of every statement run() executes."""
    statements = []

    def remember(conn, cursor, statement, parameters, context, executemany):
        if statement.lstrip().upper().startswith("SELECT"):
            statements.append((statement, parameters))

    sa.event.listen(db.engine, "before_cursor_execute", remember)
    try:
        run()
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", remember)
    with db.engine.connect() as conn:
        return [" / ".join(row[3] for row in conn.exec_driver_sql(f"EXPLAIN QUERY PLAN {s}", p)) for s, p in statements]


@pytest.mark.parametrize("service", ["position_counts", "theme_totals"])
def test_counts_read_the_positions_index_not_every_comment(make_remiss, db, service):
    """SQLite without statistics once chose an index on has_final here and read every remiss's comments."""
    if db.engine.dialect.name != "sqlite":
        pytest.skip("SQLite's planner")
    remiss = make_remiss()
    _add_answers(db, remiss, 2, 0)
    run = {"position_counts": lambda: review.section_position_counts(remiss),
           "theme_totals": lambda: themes.totals(remiss)}[service]
    steps = [step for plan in _plans(db, run) for step in plan.split(" / ") if "remiss_section_answers" in step]
    assert steps and all("COVERING INDEX ix_remiss_section_answers_positions" in step
                         or "INTEGER PRIMARY KEY" in step for step in steps), steps
