"""Demo data: the Värmland dialogue meeting of sources/002 and the VGR process 2013–2014 (sources/000)."""
from datetime import datetime, timedelta

import sqlalchemy as sa

from core.demo import VARMLAND_ORGANISATIONS, get_or_create_organisation
from core.extensions import db
from core.models import Organisation, User, utcnow
from core.timeutil import local_to_utc, utc_to_local
from dialog.models import (
    AgendaItem,
    Decision,
    FollowUpTask,
    Meeting,
    MeetingSeries,
    MeetingStatus,
    MinutesItem,
    MinutesSigner,
    Registration,
    RegistrationStatus,
)

CONSENT = ("Vi sparar namn, e-post, organisation och eventuella behov för att planera mötet. Uppgifterna "
           "anonymiseras ett år efter mötet. Organisationens deltagande finns kvar i mötets bilaga.")

VARMLAND_SERIES = "Överenskommelsen i Värmland"
VGR_SERIES = "Överenskommelsen i Västra Götaland"

# The record does not give its date; it was held after the VGR signing (December 2014) and before
# the Värmland conference of 2015-10-23 (sources/004). The demo places it in spring 2015.
VARMLAND_MEETING = {
    "title": "Dialogmöte om samverkan mellan landstinget och den sociala ekonomin i Värmland",
    "kind": "dialogmote",
    "starts": datetime(2015, 3, 20, 9, 0),
    "ends": datetime(2015, 3, 20, 15, 30),
    "place": "Landstingshuset, Karlstad",
    "moderator": "Anders Andrén, folkhälsostrateg i landstinget",
    "chair": "Malin Berglund, landstingets demokratiberedning",
    "panel": "\n".join([
        "Gert Ohlsson, landstingsråd, ordförande i folkhälso- och tandvårdsutskottet",
        "Åsa Löfvenberg, ledningsstrateg, Landstinget i Värmland",
        "Birgitta Adler, processansvarig, Västra Götalandsregionen",
        "Camilla Olsson, social ekonomi Coompanion Fyrbodal",
        "Roland Karlsson, regionfullmäktige, Västra Götalandsregionen",
        "Ann-Christin Lundqvist, Region Skåne",
        "Mats Werne, verksamhetsutvecklare, Nätverket idéburen sektor Skåne",
        "Leif Tyrén, Värmlandskooperativen",
    ]),
    "contact": "Landstingsråd Gert Ohlsson, Landstinget i Värmland",
    "description": (
        "Landstinget i Värmland bjuder in organisationerna inom det sociala området till dialog om samverkan. "
        "Västra Götalandsregionen och Region Skåne berättar om sina överenskommelser med den sociala "
        "ekonomin/idéburen sektor. Målet är en gemensam dialogprocess för att komma fram till en "
        "överenskommelse även i Värmland."
    ),
    "minute_taker": "Elisabeth Ehne Jangehammar",
}

# (time, title, responsible, minutes)
VARMLAND_AGENDA = [
    ("09.00", "Inledning", "Malin Berglund, Gert Ohlsson, Åsa Löfvenberg",
     "Moderator för dagen är Anders Andrén, folkhälsostrateg i landstinget. Ordförande Malin Berglund, i "
     "landstingets demokratiberedning som är frågans hemvist inom politiken, och landstingsråd Gert Ohlsson, "
     "ordförande i folkhälso- och tandvårdsutskottet, inleder dagen. De betonar den nya patientlagen, att "
     "patienten är expert på sig själv, vilket kräver samarbete med vården. Samspelet mellan organisationerna "
     "och landstinget behöver utvecklas.\n\nLedningsstrateg Åsa Löfvenberg ersätter landstingsdirektör "
     "Gunilla Andersson som blivit kallad till Samhällsrådet med kort varsel. Landstingets övergripande mål "
     "kräver samarbete med många. SKL och regeringen har träffat en överenskommelse om samverkan inom "
     "området. Målet är en gemensam dialogprocess för att komma fram till en överenskommelse även här."),
    ("09.30", "Förväntningar på dagen", "Anders Andrén",
     "Betydelsen av att få kännedom om varandra och träffas i ”verkligheten”."),
    ("09.45", "Paneldebatt", "Birgitta Adler, Camilla Olsson, Roland Karlsson, Ann-Christin Lundqvist, Mats Werne",
     "Västra Götalandsregionen och Region Skåne svarar gemensamt på några grundläggande frågor: vad är en "
     "region, vad är social ekonomi och varför en regional överenskommelse? Rådet för social ekonomi har "
     "funnits sedan år 2000 i Västra Götaland; det finns ett symbolvärde i att ha en skriftlig "
     "överenskommelse. 2009 startade processen i Skåne med en relationsbaserad metod."),
    ("10.45", "Region Skåne", "Ann-Christin Lundqvist, Mats Werne",
     "Processen att ta fram överenskommelsen är oerhört viktig, men arbetet är inte klart i och med att den "
     "skrivits under. Första överenskommelsen var färdig år 2010. Nätverket idéburen sektor Skåne har fyra "
     "anställda med ekonomiskt stöd av Region Skåne. Att vara jämbördiga i dialogen är bland det viktigaste. "
     "Det krävs struktur: styrgrupp, ordförandeberedning, utvecklingsgrupp och arbetsutskott."),
    ("11.30", "Reflektion om Skånes info", "Alla",
     "Vikten av samverkan och nätverkande mellan landsting, organisationer och kommuner. Ensam är inte "
     "stark. Landstinget kan inte samverka med alla enskilda organisationer; i Skåne började det med några "
     "organisationer som bjöd in de andra för att bli starkare."),
    ("13.00", "Vad gör myndigheter i Värmland?", "Åsa Löfvenberg",
     "Region Värmland och länsstyrelsen är de två andra offentliga aktörerna i Värmland. Ordnad samverkan "
     "sker inom ANDT. Region Värmland har inga arenor för samverkan, men ger ekonomiskt stöd och bidrag."),
    ("13.30", "Värmlandskooperativen", "Leif Tyrén",
     "Värmlandskooperativen, en del av Coompanion Sverige, har sedan 1982 hjälpt till att starta kooperativ. "
     "Det är viktigt att vi använder samma begrepp: social ekonomi är etablerat i EU. Viktigt att det blir "
     "ett avtal mellan offentlig sektor, privat ekonomi och social ekonomi."),
    ("14.00", "Västra Götalandsregionen", "Roland Karlsson, Birgitta Adler, Camilla Olsson",
     "Under 2013–2014 har överenskommelsen processats fram med konferenser, dialogmöten och nyhetsbrev i en "
     "transparent process. Den skrevs under i december 2014 med representation av 71 organisationer. "
     "Handlingsplanen utgår från de sex principerna; fyra indikatorer följs upp: information, samråd, "
     "dialog, partnerskap."),
    ("15.00", "Fortsättning framåt?", "Gert Ohlsson",
     "Samsyn råder att det behöver skapas samverkan även i Värmland. Organisationerna behöver bilda nätverk "
     "eller liknande, kanske genom att skapa en arbetsgrupp; sedan blir nästa steg att skapa samverkan. "
     "Kontakta gruppen eller Gert Ohlsson med synpunkter och förslag."),
]

VARMLAND_DECISIONS = [
    "Tre personer får ett tillfälligt uppdrag att arbeta fram förslag till nästa möte: Bosse Dalbo, "
    "Monica Ekström och Monika Ståhl.",
    "Nästa steg blir att fatta beslut om vi ska komma till en överenskommelse.",
    "Demokratiberedningen tar ansvar för att föra upp ärendet politiskt.",
]

VARMLAND_TASKS = [
    ("Arbeta fram förslag till nästa möte om hur organisationerna kan bilda nätverk och samverka",
     "Bosse Dalbo, Monica Ekström, Monika Ståhl"),
    ("Föra upp ärendet politiskt", "Demokratiberedningen (Gert Ohlsson)"),
]

# The VGR process 2013–2014 (sources/000): 2 conferences and 4 dialogue meetings with ~100 participants
# from ~60 associations. The record gives the numbers, not the dates or places: the demo spreads them
# over the sub-regions.
VGR_MEETINGS = [
    ("konferens", "Startkonferens: en överenskommelse för Västra Götaland", datetime(2013, 4, 18, 9, 30),
     "Göteborg", None),
    ("dialogmote", "Dialogmöte Skaraborg", datetime(2013, 5, 23, 13, 0), "Skövde", "skaraborg"),
    ("dialogmote", "Dialogmöte Fyrbodal", datetime(2013, 9, 12, 13, 0), "Uddevalla", "fyrbodal"),
    ("dialogmote", "Dialogmöte Sjuhärad", datetime(2013, 10, 10, 13, 0), "Borås", "sjuharad"),
    ("dialogmote", "Dialogmöte Göteborgsregionen", datetime(2013, 11, 14, 13, 0), "Göteborg",
     "goteborgsregionen"),
    ("konferens", "Konferens: förslaget till överenskommelse", datetime(2014, 1, 30, 9, 30), "Göteborg", None),
]

# Organisations of the working group (sources/000) and a few per sub-region, for attendance.
VGR_ORGANISATIONS = [
    ("Folkbildningsförbundet Västra Götaland", "natverk", None),
    ("Coompanion Väst", "ekonomisk_forening", "goteborgsregionen"),
    ("Västsvenska Idrottsförbundet", "natverk", None),
    ("Pensionärsrådet Västra Götaland", "natverk", None),
    ("Rådet för funktionshinder", "natverk", None),
    ("Skaraborgs Föreningsråd", "forening", "skaraborg"),
    ("Kooperativet Vägen ut", "socialt_foretag", "goteborgsregionen"),
    ("Hela Sverige ska leva Sjuhärad", "forening", "sjuharad"),
    ("Bygdegårdarna Fyrbodal", "forening", "fyrbodal"),
    ("Stiftelsen Hospice Gabriel", "stiftelse", "fyrbodal"),
    ("Bräcke diakoni", "stiftelse", "goteborgsregionen"),
    ("Sjukhuskyrkan Borås", "trossamfund", "sjuharad"),
]


def _moderator():
    return db.session.scalar(sa.select(User).where(User.email == "moderator@samrad.example"))


def _org(name):
    return db.session.scalar(sa.select(Organisation).where(Organisation.name == name))


def _series(title, description, organiser):
    series = db.session.scalar(sa.select(MeetingSeries).where(MeetingSeries.title == title))
    if series is None:
        series = MeetingSeries(title=title, description=description, organiser=organiser)
        db.session.add(series)
        db.session.flush()
    return series


def _existing(title, series):
    return db.session.scalar(sa.select(Meeting).where(Meeting.title == title, Meeting.series_id == series.id))


def _attendance(meeting, organisations, per_org=1):
    for org in organisations:
        for _ in range(per_org):
            db.session.add(Registration(
                meeting=meeting, organisation=org, organisation_name=org.name, attended=True, anonymised=True,
                status=RegistrationStatus.REGISTERED, consent=True, created_at=meeting.starts_at,
            ))


def seed_varmland(moderator):
    organiser = _org("Landstinget i Värmland")
    series = _series(VARMLAND_SERIES, "Dialogprocessen mellan Landstinget i Värmland och den sociala ekonomin "
                     "mot en värmländsk överenskommelse.", organiser)
    data = VARMLAND_MEETING
    meeting = _existing(data["title"], series)
    if meeting is None:
        meeting = Meeting(
            series=series, title=data["title"], kind=data["kind"], description=data["description"],
            starts_at=local_to_utc(data["starts"]), ends_at=local_to_utc(data["ends"]), place=data["place"],
            organiser=organiser, moderator=data["moderator"], chair=data["chair"], panel=data["panel"],
            contact=data["contact"], principles=["dialog", "oppenhet", "mangfald"], levels=["information", "dialog"],
            minute_taker=data["minute_taker"], status=MeetingStatus.HELD, consent_text=CONSENT,
            created_by=moderator,
        )
        db.session.add(meeting)
        for position, (time_label, title, responsible, text) in enumerate(VARMLAND_AGENDA, start=1):
            item = AgendaItem(meeting=meeting, position=position, time_label=time_label, title=title,
                              responsible=responsible)
            minutes = MinutesItem(meeting=meeting, position=position, heading=title, body=text)
            minutes.agenda_item = item
            db.session.add_all([item, minutes])
            if title == "Fortsättning framåt?":
                minutes.decisions = [Decision(text=text) for text in VARMLAND_DECISIONS]
        for what, who in VARMLAND_TASKS:
            db.session.add(FollowUpTask(meeting=meeting, what=what, who=who))
        approved = local_to_utc(data["ends"]) + timedelta(days=7)
        db.session.add_all([
            MinutesSigner(meeting=meeting, role=MinutesSigner.SEKRETERARE, name=data["minute_taker"], approved_at=approved),
            MinutesSigner(meeting=meeting, role=MinutesSigner.JUSTERARE, name="Malin Berglund", side="Landstinget",
                          approved_at=approved),
        ])
        meeting.minutes_approved_at = approved
        _attendance(meeting, [o for o in (_org(name) for name, _ in VARMLAND_ORGANISATIONS) if o is not None])

    # The next meeting, open for registration, so the public registration works in the demo.
    title = "Dialogmöte 2 i Värmland: förslag till samverkan"
    if _existing(title, series) is None:
        local_now = utc_to_local(utcnow()).replace(tzinfo=None)
        day = (local_now + timedelta(days=30)).replace(hour=9, minute=0, second=0, microsecond=0)
        while day.weekday() >= 5:  # a dialogue meeting is held on a weekday
            day += timedelta(days=1)
        nxt = Meeting(
            series=series, title=title, kind="dialogmote", place="Landstingshuset, Karlstad",
            description="Uppdragsgruppen presenterar sitt förslag till hur organisationerna kan bilda nätverk "
                        "och samverka med landstinget. Vi beslutar om nästa steg mot en överenskommelse.",
            starts_at=local_to_utc(day), ends_at=local_to_utc(day.replace(hour=15)), organiser=organiser,
            moderator="Anders Andrén", chair="Malin Berglund", capacity=40,
            registration_deadline=local_to_utc(day - timedelta(days=7)), status=MeetingStatus.OPEN,
            principles=["dialog", "langsiktighet"], levels=["dialog"], consent_text=CONSENT, created_by=moderator,
            minute_taker="Elisabeth Ehne Jangehammar", reminder_days_before=3,
            what_to_bring="Läs uppdragsgruppens förslag (under Dokument) före mötet. Lunch ingår.",
        )
        db.session.add(nxt)
        for position, (time_label, item_title, responsible) in enumerate([
            ("09.00", "Välkommen och uppföljning av förra mötet", "Malin Berglund"),
            ("09.30", "Uppdragsgruppens förslag", "Bosse Dalbo, Monica Ekström, Monika Ståhl"),
            ("10.30", "Samtal i grupper", "Anders Andrén"),
            ("13.00", "Beslut om nästa steg", "Gert Ohlsson"),
        ], start=1):
            db.session.add(AgendaItem(meeting=nxt, position=position, time_label=time_label, title=item_title,
                                      responsible=responsible))


def seed_vgr(moderator):
    region = _org("Västra Götalandsregionen")
    series = _series(VGR_SERIES, "Processen 2013–2014 som ledde fram till överenskommelsen mellan "
                     "Västra Götalandsregionen och den sociala ekonomin, underskriven 5 december 2014.", region)
    shared = [get_or_create_organisation(name, legal_form=form, sub_region=region_code)
              for name, form, region_code in VGR_ORGANISATIONS]
    platforms = {code: db.session.scalar(sa.select(Organisation).where(Organisation.sub_region == code,
                                                                        Organisation.legal_form == "natverk"))
                 for code in ("goteborgsregionen", "skaraborg", "sjuharad", "fyrbodal")}
    for index, (kind, title, starts, place, sub_region) in enumerate(VGR_MEETINGS):
        if _existing(title, series) is not None:
            continue
        length = timedelta(hours=6 if kind == "konferens" else 3)
        meeting = Meeting(
            series=series, title=title, kind=kind, place=place, organiser=region,
            starts_at=local_to_utc(starts), ends_at=local_to_utc(starts + length), status=MeetingStatus.HELD,
            moderator="Birgitta Adler", chair="Camilla Olsson", principles=["dialog", "oppenhet"],
            levels=["samrad", "dialog"], created_by=moderator,
            description="Ett av två konferenser och fyra dialogmöten i processen 2013–2014 (ca 100 deltagare "
                        "från ca 60 föreningar).",
        )
        db.session.add(meeting)
        if sub_region:
            present = [platforms[sub_region]] + [o for o in shared if o.sub_region in (sub_region, None)]
        else:
            present = [p for p in platforms.values() if p] + shared[: 6 + index]
        _attendance(meeting, [o for o in present if o is not None], per_org=2 if kind == "konferens" else 1)
        if index == 0:
            db.session.add(FollowUpTask(meeting=meeting, what="Sammanställa synpunkterna från dialogmötena "
                                        "till skrivargruppen", who="Birgitta Adler, Camilla Olsson",
                                        status="done", done_at=local_to_utc(datetime(2013, 12, 1))))


def seed_demo():
    moderator = _moderator()
    seed_varmland(moderator)
    seed_vgr(moderator)
    db.session.commit()
