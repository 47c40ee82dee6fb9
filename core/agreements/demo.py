"""Demo data from the project's own copy of the source data (data/): the Västra Götaland agreement with its
action plan, signatories and groups, and the 2024 IOP with the four platforms."""
import json
from datetime import date, timedelta
from pathlib import Path

import sqlalchemy as sa
from flask import current_app

from core.agreements import actionplan, reporting
from core.agreements.models import (
    Agreement,
    AgreementKind,
    AgreementParty,
    AgreementStatus,
    Contribution,
    Evidence,
    GroupConvener,
    GroupKind,
    GroupMember,
    IndicatorValue,
    MeasureStatus,
    ReportText,
    Side,
    Signatory,
    StandingGroup,
)
from core.config import base_url
from core.extensions import db
from core.models import Organisation, User, utcnow
from core.timeutil import utc_to_local

DATA = Path(__file__).resolve().parent / "data"
VGR_TITLE = "Överenskommelse mellan den sociala ekonomin och Västra Götalandsregionen"
REGION_NUMBER = "232100-0131"
PLATFORM_NUMBERS = ("769607-4496", "802418-4734", "802469-9889", "802473-5832")


def load(name):
    with open(DATA / name, encoding="utf-8") as f:
        return json.load(f)


def _org(number):
    return db.session.scalar(sa.select(Organisation).where(Organisation.org_number == number))


def _agreement(title):
    return db.session.scalar(sa.select(Agreement).where(Agreement.title == title))


def seed_demo():
    """Idempotent: what exists (by title) is left as it is."""
    if _org(REGION_NUMBER) is None:
        return  # core's organisations are seeded first; without them there is nothing to agree on
    seed_vgr_agreement()
    seed_iop()
    db.session.commit()


def seed_vgr_agreement():
    plan = load("action_plan_vgr.json")
    group = plan["cooperation_group"]
    if _agreement(VGR_TITLE) is not None:
        return
    agreement = Agreement(
        kind=AgreementKind.OVERENSKOMMELSE, title=VGR_TITLE, short_name="Överenskommelsen i Västra Götaland",
        diary_number=plan["governance"]["decision"]["diarienummer"], period_start=date(2014, 12, 5),
        description=plan["governance"]["parties_commitments"]["text"],
        notice_text="Överenskommelsen gäller tills vidare. Samverkansgruppen beslutar om översyn minst vart fjärde år.",
        representatives_among_signatories=True,
        revise_action_plan_every_years=group["revise_action_plan_every_years"],
        review_agreement_every_years=group["review_agreement_every_years"],
        status=AgreementStatus.PUBLISHED, published_at=utcnow(),
    )
    db.session.add(agreement)
    region = _org(REGION_NUMBER)
    agreement.parties.append(AgreementParty(organisation=region, side=Side.REGION, position=0,
                                            acting_through="regionfullmäktige"))
    for i, number in enumerate(PLATFORM_NUMBERS, start=1):
        agreement.parties.append(AgreementParty(organisation=_org(number), side=Side.CIVIL_SOCIETY, position=i))
    db.session.flush()
    actionplan.load_plan(agreement, plan)
    _seed_follow_up(agreement)
    signatories = _seed_signatories(agreement)
    _seed_vgr_groups(agreement, plan, region, signatories)


def _seed_follow_up(agreement):
    """Measures due at the end of the plan period with a spread of statuses, and indicator values for last year
    and this year, so the matrix shows where the year stands. Deterministic: the same on every fresh run."""
    this_year = utc_to_local(utcnow()).year
    statuses = (MeasureStatus.DONE, MeasureStatus.ONGOING, MeasureStatus.DONE, MeasureStatus.PLANNED)
    n = 0
    for principle in agreement.principles:
        for measure in principle.measures:
            measure.status = statuses[n % len(statuses)]
            measure.due_on = date(2017, 12, 31) if n % 3 else date(this_year, 12, 31)
            measure.done_on = date(2017, 6, 30) if measure.status == MeasureStatus.DONE else None
            n += 1
        first = principle.responsibilities.split("\n")[0]
        for measure in principle.measures:
            measure.responsible = first.split(" ansvarar")[0][:200] if " ansvarar" in first else ""
    for p_index, principle in enumerate(agreement.principles):
        for i_index, indicator in enumerate(principle.indicators):
            level = indicator.level.position
            for year, bias in ((this_year - 1, 0), (this_year, 1)):
                # Information and Samråd are met more often than Dialog and Partnerskap, and this year more than last.
                met = (p_index + i_index + bias) % (level + 1) != 0
                indicator.values.append(IndicatorValue(year=year, met=met))


def _seed_signatories(agreement):
    """Every civil-society organisation of Västra Götaland in the demo registry signs, at the signing ceremony
    (5 December 2014) or later; one has left again."""
    vg = db.session.scalars(sa.select(Organisation).where(
        Organisation.legal_form != "offentlig",
        sa.or_(Organisation.sub_region.in_(("goteborgsregionen", "skaraborg", "sjuharad", "fyrbodal")),
               Organisation.sub_region.is_(None))).order_by(Organisation.name)).all()
    rows = []
    for i, org in enumerate(vg):
        signed = date(2014, 12, 5) if i % 3 else date(2015 + i % 4, 3, 1 + i % 20)
        row = Signatory(agreement=agreement, organisation=org, signed_on=signed, signatory_name="Ordförande",
                        signatory_title="för styrelsen")
        if i == len(vg) - 1 and len(vg) > 5:
            row.withdrawn_on = date(2019, 6, 30)
        db.session.add(row)
        rows.append(row)
    db.session.flush()
    return rows


def _seed_vgr_groups(agreement, plan, region, signatories):
    group = plan["cooperation_group"]
    active = [s.organisation for s in signatories if s.withdrawn_on is None]
    platforms = [o for o in (_org(n) for n in PLATFORM_NUMBERS) if o is not None]
    samverkan = StandingGroup(
        agreement=agreement, kind=GroupKind.SAMVERKANSGRUPP, name="Samverkansgruppen",
        description=group["composition"], equal_sides_required=group["equal_representation"],
        meetings_min_per_year=group["meetings_per_year_min"], meetings_max_per_year=group["meetings_per_year_max"])
    db.session.add(samverkan)
    staff = db.session.scalars(sa.select(User).where(User.email.in_(("admin@samrad.example",
                                                                       "moderator@samrad.example")))).all()
    start = date(utc_to_local(utcnow()).year - 1, 1, 1)
    for user in staff:
        samverkan.members.append(GroupMember(user=user, side=Side.REGION, organisation=region, term_start=start,
                                             role="Tjänsteperson"))
    samverkan.members.append(GroupMember(name="Representant för regionstyrelsen", side=Side.REGION,
                                         organisation=region, term_start=start))
    for org in platforms[:3]:
        samverkan.members.append(GroupMember(name=f"Representant för {org.name}", side=Side.CIVIL_SOCIETY,
                                             organisation=org, term_start=start))
    samverkan.conveners = [GroupConvener(organisation=region, position=0)] + [
        GroupConvener(organisation=org, position=i) for i, org in enumerate(platforms, start=1)]
    beredning = plan["governance"]["beredning"]
    db.session.add(StandingGroup(
        agreement=agreement, kind=GroupKind.BEREDNING, name="Beredningen för överenskommelsen",
        description=f"Tillfällig beredning med uppdrag att {beredning['task']}. En ledamot per parti i "
                    f"regionfullmäktige och {beredning['social_economy_representatives']} representanter som "
                    f"nomineras av {beredning['social_economy_representatives_nominated_by']}."))
    work = StandingGroup(agreement=agreement, kind=GroupKind.ARBETSGRUPP, name="Arbetsgruppen 2013–2014",
                         description="Arbetsgruppen som tog fram överenskommelsen: 24 personer, 12 från vardera sidan.",
                         equal_sides_required=True)
    db.session.add(work)
    for i, org in enumerate(active[:4]):
        work.members.append(GroupMember(name=f"Representant för {org.name}", side=Side.CIVIL_SOCIETY,
                                        organisation=org, term_start=date(2013, 1, 1), term_end=date(2014, 12, 5)))
        work.members.append(GroupMember(name=f"Tjänsteperson {i + 1}, Västra Götalandsregionen", side=Side.REGION,
                                        organisation=region, term_start=date(2013, 1, 1), term_end=date(2014, 12, 5)))
    db.session.add(StandingGroup(agreement=agreement, kind=GroupKind.SKRIVARGRUPP, name="Skrivargruppen",
                                 description="Skrivargruppen (6 personer) sammanställde remissvaren."))


def seed_iop():
    iop = load("iop_2024.json")
    if _agreement(iop["title"]) is not None:
        return
    agreement = Agreement(
        kind=AgreementKind.IOP, title=iop["title"], short_name="IOP med de delregionala plattformarna 2024–2025",
        period_start=date.fromisoformat(iop["period"]["start"]), period_end=date.fromisoformat(iop["period"]["end"]),
        description=iop["purpose"], notice_months=iop["notice"]["notice_period_months"],
        notice_text=f"{iop['notice']['grounds']} {iop['notice']['sanctions']}",
        annual_report_due_month=iop["annual_report"]["due_month"], annual_report_due_day=iop["annual_report"]["due_day"],
        status=AgreementStatus.PUBLISHED, published_at=utcnow(),
    )
    db.session.add(agreement)
    contacts = {c["party"]: c["name"] for c in iop["contacts"]}
    parties = {}
    for i, item in enumerate(iop["parties"]):
        org = _org(item["org_number"])
        if org is None:
            continue
        parties[item["key"]] = AgreementParty(
            organisation=org, side=Side.REGION if item["key"] == "vgr" else Side.CIVIL_SOCIETY, position=i,
            abbreviation=item.get("abbreviation", ""), acting_through=item.get("acting_through", ""),
            contact_name=contacts.get(item["key"], ""))
        agreement.parties.append(parties[item["key"]])
    db.session.flush()
    money = iop["contributions"]["financial"]
    start, end = agreement.period_start, agreement.period_end
    first_year_end = date(start.year + 1, start.month, start.day) - timedelta(days=1)
    per_platform = money["max_amount_sek"]
    platforms = [parties[key] for key in iop["contributions"]["platforms"]["parties"] if key in parties]
    for party in platforms:
        db.session.add(Contribution(
            agreement=agreement, party=parties["vgr"], period_start=start, period_end=first_year_end,
            amount_sek=per_platform, payment_rhythm=money["payment_frequency"],
            description=f"Till {party.organisation.name}. {money['purpose']}"))
        db.session.add(Contribution(
            agreement=agreement, party=party, period_start=start, period_end=end,
            description="\n".join(iop["contributions"]["platforms"]["items"])))
    db.session.add(Contribution(
        agreement=agreement, party=parties["vgr"], period_start=start, period_end=end,
        description="\n".join(iop["contributions"]["vgr"]["items"][:2])))
    for s in iop["signatories"]:
        if s["party"] in parties:
            # The source gives no date of signing: the first day of the period stands in for it.
            db.session.add(Signatory(agreement=agreement, organisation=parties[s["party"]].organisation,
                                     signed_on=start, signatory_name=s["name"], signatory_title=s["title"]))
    steering = iop["steering_group"]
    group = StandingGroup(agreement=agreement, kind=GroupKind.STYRGRUPP, name="Styrgruppen för IOP:t",
                          description=" ".join(steering["rules"][:2]),
                          meetings_min_per_year=steering["meetings_per_year_min"],
                          meetings_min_spring=steering["meetings_spring"],
                          meetings_min_autumn=steering["meetings_autumn"])
    db.session.add(group)
    # No end to the terms: the partnership was made "with the intention of continuing".
    for party in parties.values():
        group.members.append(GroupMember(name=party.contact_name, organisation=party.organisation,
                                         side=party.side, term_start=start, role="Kontaktperson"))
    order = [*iop["contributions"]["platforms"]["parties"], "vgr"]
    group.conveners = [GroupConvener(organisation=parties[key].organisation, position=i)
                       for i, key in enumerate(k for k in order if k in parties)]


def seed_evidence():
    """Link this year's group meetings (and any other candidates the areas offer) to cells of the matrix.

    Runs after the areas' demo data; URLs are built as in a request, like the remiss reminders do."""
    agreement = _agreement(VGR_TITLE)
    if agreement is None or db.session.scalar(sa.select(sa.func.count()).select_from(Evidence).join(
            Evidence.principle).where(Evidence.principle.has(agreement_id=agreement.id))):
        return
    year = utc_to_local(utcnow()).year
    with current_app.test_request_context(base_url=base_url(current_app.config)):
        candidates = actionplan.evidence_candidates(year=year)
    if not candidates:
        return
    levels = {lv.key: lv for lv in agreement.levels}
    principles = {p.key: p for p in agreement.principles}
    # Which cell a kind of evidence counts for: meetings are dialogue, remisses consultation, barometers information.
    cell_of = {"meeting": ("dialog", "dialog"), "remiss": ("oppenhet_och_insyn", "samrad"),
               "barometer": ("mangfald", "information")}
    for item in candidates:
        principle_key, level_key = cell_of.get(item["kind"], ("dialog", "information"))
        if principle_key in principles and level_key in levels:
            db.session.add(Evidence(principle=principles[principle_key], level=levels[level_key], year=year,
                                    kind=item["kind"], ref_id=item["id"], label=item["label"][:300],
                                    url=item["url"][:500]))
    db.session.commit()


REPORT_INTRO = ("Samverkansgruppen har under året följt upp handlingsplanen. Siffrorna nedan räknas fram ur "
                "Samråd: gruppernas möten, de organisationer som deltagit i möten och remisser, "
                "åsiktsbarometrarna och handlingsplanens indikatorer.")


def seed_report():
    """Idempotent: this year's yearly report of the Västra Götaland agreement as a draft with an introduction."""
    agreement = _agreement(VGR_TITLE)
    if agreement is None:
        return
    report = reporting.get_or_create_report(agreement, utc_to_local(utcnow()).year)
    if not report.texts:
        report.texts.append(ReportText(section_key=reporting.INTRO, text=REPORT_INTRO))
        db.session.commit()
