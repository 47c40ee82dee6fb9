"""Demo data: the Västra Götaland remiss of the draft agreement with the social economy (sources/001)."""
from datetime import datetime, time, timedelta

import sqlalchemy as sa

from core.demo import VG_PLATFORMS
from core.extensions import db
from core.models import Organisation, User, utcnow
from core.timeutil import local_to_utc, utc_to_local
from surveys.remiss.answering import snapshot
from surveys.remiss.models import (
    AnswerSubmission,
    BodyStatus,
    CommentTag,
    InvitedBody,
    KeyQuote,
    Remiss,
    RemissAnswer,
    RemissSection,
    RemissStatus,
    SectionAnswer,
)

TITLE = "Förslag till överenskommelse mellan Västra Götalandsregionen och den sociala ekonomin"
DIARIENUMMER = "RS 767-2011"
DESCRIPTION = (
    "Regionstyrelsen remitterar förslaget till överenskommelse mellan Västra Götalandsregionen och den "
    "sociala ekonomin, med handlingsplan för 2015–2017. Svara gärna per avsnitt: tillstyrker ni, "
    "tillstyrker ni delvis eller avstyrker ni, och vad vill ni ändra?"
)

SECTIONS = [
    ("Inledning",
     "De kunskaper och erfarenheter som finns hos oss i Västra Götaland ska tas tillvara på bästa sätt, "
     "framförallt ska det ske genom olika former av samverkan och dialog. Den sociala ekonomin och Västra "
     "Götalandsregionen vill genom denna överenskommelse skapa goda förutsättningar för ett hållbart samhälle "
     "som bygger på delaktighet för alla invånare och skapa förtroende för varandras unika uppdrag."),
    ("Målbild 2017",
     "Målbilden utgår från de sex principernas respektive ansvar och åtgärder som finns i överenskommelsen.\n\n"
     "* En arbetsorganisation är väl inarbetad och etablerad för både social ekonomi och Västra "
     "Götalandsregionen.\n"
     "* Det finns ett stabilt och utökat forum där politiker, tjänstemän och sociala ekonomins aktörer agerar.\n"
     "* Social ekonomi är en samarbetspart inom Västra Götalandsregionens alla verksamhetsområden.\n"
     "* Lokala överenskommelseprocesser har startat till grund för lokal och delregional verksamhet.\n"
     "* Ändrade upphandlingskriterier som underlättar för sociala ekonomins aktörer."),
    ("Vision Västra Götaland – Det goda livet",
     "Västra Götalandsregionens vision ”Det goda livet” är grunden för allt arbete kring hur Västra Götaland "
     "utvecklas för att vara en attraktiv region att bo och verka i. Inom alla dessa områden har den sociala "
     "ekonomin en viktig roll att fylla, både som röstbärare och producent."),
    ("Vad är den sociala ekonomin?",
     "Den sociala ekonomin särskiljer sig från den privata och offentliga sektorn då den består av "
     "organisationer som har samhällsnytta och medlemsnytta som främsta mål samt tar tillvara invånarnas och "
     "samhällets intressen utan ekonomisk vinst som huvudsyfte. Den bedrivs främst i föreningar, kooperativ, "
     "trossamfund, stiftelser och liknande sammanslutningar."),
    ("Varför har överenskommelsen tagits fram?",
     "Överenskommelsens syfte är att skapa en jämbördig dialog mellan den sociala ekonomins olika företrädare "
     "och Västra Götalandsregionen och att öka kunskapen om respektive part. Väl fungerande samverkansformer "
     "kommer att ge bättre möjligheter att komplettera och förstärka varandras unika uppdrag och styrkor."),
    ("Vision, syfte och mål",
     "**Vision:** Genom samarbete och aktiv dialog skapa ett hållbart samhälle med nya förutsättningar för "
     "utveckling av Det goda livet i Västra Götaland.\n\n"
     "**Syfte:** Genom överenskommelsen skapa utrymme för ett långsiktigt samarbete och finna nya modeller för "
     "partnerskap och regelverk.\n\n"
     "**Mål:** Att tillsammans arbeta fram en hållbar utveckling genom sociala, ekonomiska och ekologiska "
     "lösningar; att tillvarata invånarnas engagemang och delaktighet; att arbeta för mångfald i "
     "entreprenörskap; att skapa strukturer för samverkan med ömsesidig respekt."),
    ("Vilka parter undertecknar överenskommelsen?",
     "Överenskommelsen är ett samarbete mellan Västra Götalandsregionen och aktörer inom den sociala ekonomin "
     "som är verksamma inom Västra Götaland. Det är upp till varje enskild organisation att ta ställning till "
     "om den stödjer och undertecknar överenskommelsen i sin helhet eller inte."),
    ("Gemensamt ansvar och åtagande",
     "Både Västra Götalandsregionen och den sociala ekonomin ansvarar för att sprida innehållet i "
     "överenskommelsen till nämnder, styrelser och förvaltningar samt till organisationer och föreningar."),
    ("Princip 1: Dialog",
     "Genom att ha dialogbaserade arbetssätt som är byggda på gemensamma viktiga frågeställningar så lyfter vi "
     "fokus från ekonomi till processer. Åtgärder: öka kunskapen om varandras verksamheter och särart."),
    ("Princip 2: Långsiktighet",
     "Genom att skapa långsiktiga gemensamma strukturer kan vi möjliggöra för företrädare inom den sociala "
     "ekonomin att ta en tydligare roll i samhället utefter egna önskemål och förutsättningar."),
    ("Princip 3: Kvalitet",
     "Offentlig sektor som samhällsstruktur är beroende av all den utveckling som sker i föreningslivet. Den "
     "ideella sektorn borgar för en god livskvalitet i samhället."),
    ("Princip 4: Öppenhet och insyn",
     "Öppenhet och insyn skapar förtroende mellan parterna. Information om beslut och processer ska vara "
     "tillgänglig i tid för alla berörda."),
    ("Princip 5: Självständighet och oberoende",
     "Den sociala ekonomins olika verksamheter ska fortsätta att vara oberoende och ha rätten att agera och "
     "påverka oberoende av en partnerskapssituation."),
    ("Princip 6: Mångfald",
     "Överenskommelsen ska bidra till en ökad mångfald av utförare och nya sätt att arbeta, och till att "
     "tillvarata alla personers möjligheter oavsett bakgrund, funktionalitet eller förmågor."),
]

# Two platforms have already answered, so the drafting group's dashboard is not empty.
DEMO_ANSWERS = [
    ("769607-4496", "tillstyrker", "Beslutat av styrelsen 2026-03-12", "Anna Andersson, ordförande",
     "Vi ställer oss bakom förslaget och ser överenskommelsen som ett verktyg för ökad mångfald.",
     {2: ("tillstyrker", "Bra att målbilden är konkret. Lägg till en uppföljning varje år.", ""),
      9: ("tillstyrker_delvis", "Dialogen behöver en enkel struktur för uppföljning.",
          "Regionstyrelsen ansvarar för en systematik för möten, dialog och enkel uppföljning.")}),
    ("802418-4734", "tillstyrker_delvis", "Beslutat av årsmötet 2026-03-20", "Bertil Berg, sekreterare",
     "Vi stöder inriktningen men saknar en central placering av arbetet inom regionen.",
     {7: ("avstyrker", "Skrivningen om vilka som kan underteckna är otydlig för små föreningar.", ""),
      13: ("tillstyrker", "Självständigheten är avgörande för oss.", "")}),
]


def _org(number):
    return db.session.scalar(sa.select(Organisation).where(Organisation.org_number == number))


def seed_demo():
    remiss = db.session.scalar(sa.select(Remiss).where(Remiss.diarienummer == DIARIENUMMER))
    if remiss is not None:
        return
    now = utcnow().replace(second=0, microsecond=0)
    # Opened two weeks ago at 09:00, answers due in two months at 16:00 (Stockholm time).
    today = utc_to_local(now).date()
    opens_at = local_to_utc(datetime.combine(today - timedelta(days=14), time(9, 0)))
    deadline = local_to_utc(datetime.combine(today + timedelta(days=60), time(16, 0)))
    remiss = Remiss(title=TITLE, diarienummer=DIARIENUMMER, description=DESCRIPTION,
                    opens_at=opens_at, deadline=deadline,
                    status=RemissStatus.OPEN, allow_uninvited=True, reminder_days_before=7)
    drafter = db.session.scalar(sa.select(User).where(User.email == "skrivargrupp@samrad.example"))
    if drafter is not None:
        remiss.drafters = [drafter]
        remiss.created_by_id = drafter.id
    for i, (heading, text) in enumerate(SECTIONS, start=1):
        remiss.sections.append(RemissSection(number=i, heading=heading, text=text))
    db.session.add(remiss)
    db.session.flush()
    for _name, number, _form, region in VG_PLATFORMS:
        org = _org(number)
        if org is not None and region:
            db.session.add(InvitedBody(remiss=remiss, organisation=org, email=org.contact_email))
    db.session.flush()
    sections = {s.number: s for s in remiss.sections}
    for i, (number, position, decided, signatory, general, per_section) in enumerate(DEMO_ANSWERS):
        org = _org(number)
        if org is None:
            continue
        answer = RemissAnswer(remiss_id=remiss.id, organisation_id=org.id, position=position,
                              general_comment=general, decided_by=decided, signatory=signatory,
                              final_position=position, final_general_comment=general, final_decided_by=decided,
                              final_signatory=signatory, submitted_version=1,
                              first_submitted_at=now - timedelta(days=9 - 4 * i, hours=3 * i),
                              submitted_at=now - timedelta(days=9 - 4 * i, hours=3 * i))
        db.session.add(answer)
        db.session.flush()
        for num, (pos, comment, wording) in per_section.items():
            db.session.add(SectionAnswer(answer_id=answer.id, section_id=sections[num].id, position=pos,
                                         comment=comment, proposed_wording=wording, final_position=pos,
                                         final_comment=comment, final_wording=wording, has_final=True))
        db.session.flush()
        if i == 0:
            # One marked point with its handling, so the compilation shows how a point is traced.
            row = db.session.scalar(sa.select(SectionAnswer).where(
                SectionAnswer.answer_id == answer.id, SectionAnswer.section_id == sections[9].id))
            db.session.add(CommentTag(section_answer_id=row.id, tag="Dialog"))
            db.session.add(KeyQuote(section_answer_id=row.id, text="Dialogen behöver en enkel struktur för uppföljning.",
                                    handling="beaktas_delvis",
                                    handling_reason="Uppföljningen samordnas med befintliga system.",
                                    created_by_id=drafter.id if drafter else None))
        db.session.refresh(answer)
        db.session.add(AnswerSubmission(answer_id=answer.id, number=1, snapshot=snapshot(answer),
                                        submitted_at=answer.submitted_at))
        body = db.session.scalar(sa.select(InvitedBody).where(InvitedBody.remiss_id == remiss.id,
                                                              InvitedBody.organisation_id == org.id))
        if body is not None:
            body.status = BodyStatus.ANSWERED
            body.opened_at = now
    db.session.commit()
