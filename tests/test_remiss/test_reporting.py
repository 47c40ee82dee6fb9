"""The remiss area's section of an agreement's yearly report: answer rates, handled comments, organisations."""
from datetime import timedelta

from core.timeutil import utc_to_local
from surveys.remiss import review
from surveys.remiss.reporting import report_section


def test_remisses_of_the_year_with_answer_rate_and_handling(db, submitted, fyrbodal, make_remiss, skrivare):
    remiss = submitted.remiss
    year = utc_to_local(remiss.deadline).year
    make_remiss(status="draft", title="Utkastet räknas inte")
    section_answer = submitted.section_answers[0]
    quote = review.add_quote(section_answer, "Bra avsnitt.", skrivare)
    review.set_handling(quote, "beaktas", "")
    section = report_section(None, year)
    figures = dict(section.figures)
    assert figures["Remisser"] == 1
    assert figures["Svarsfrekvens bland inbjudna"] == "50%"  # one of two invited answered
    remisses, handling = section.tables
    assert remisses.rows[0][1:] == ["Förslag till överenskommelse", 2, 1, 0, "50%"]
    assert ["Beaktas", 1] in handling.rows
    assert section.reached == {fyrbodal.id}
    assert section.reached_before == set()
    assert len(section.charts) == 1


def test_a_year_without_remisses(db, remiss):
    section = report_section(None, utc_to_local(remiss.deadline + timedelta(days=800)).year)
    assert dict(section.figures)["Remisser"] == 0
    assert section.tables == [] and section.charts == []
