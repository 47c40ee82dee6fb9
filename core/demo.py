"""Demo data from the source documents: organisations and one user per role."""
import sqlalchemy as sa

from core.extensions import db
from core.models import Membership, Organisation, Role, User

DEMO_PASSWORD = "samrad-demo"

# The four sub-regional platforms of Västra Götaland (IOP agreement 2024) and the region itself.
VG_PLATFORMS = [
    ("Göteborgsregionens sociala ekonomi", "769607-4496", "natverk", "goteborgsregionen"),
    ("Sociala ekonomins nätverk Skaraborg", "802418-4734", "natverk", "skaraborg"),
    ("Social Ekonomi Sjuhärad", "802469-9889", "natverk", "sjuharad"),
    ("Social Ekonomi Fyrbodal", "802473-5832", "natverk", "fyrbodal"),
    ("Västra Götalandsregionen", "232100-0131", "offentlig", None),
]

# Bilaga 1 of the Värmland dialogue meeting (sources/002), spelled with å, ä and ö.
VARMLAND_ORGANISATIONS = [
    ("Alla Kvinnors Hus Karlstad", "forening"),
    ("Amningshjälpen", "forening"),
    ("Amningshjälpen Värmland", "forening"),
    ("Brottsförebyggande Centrum i Värmland", "forening"),
    ("Brottsofferjourernas regionråd i Värmland", "forening"),
    ("Bryggan Karlstad", "forening"),
    ("Celiakiföreningen i Värmlands län", "forening"),
    ("Civilförsvarsförbundet, Örebro- och Värmlands län", "forening"),
    ("Coompanion", "ekonomisk_forening"),
    ("EBL-skolan", "ovrigt"),
    ("Friskvården i Värmland", "forening"),
    ("Fritidsbanken", "forening"),
    ("FUB", "forening"),
    ("Föräldrastödet i Värmland", "forening"),
    ("Gyncancerföreningen Musslan i Värmland", "forening"),
    ("Handikappförbunden Värmland", "natverk"),
    ("Handikappföreningarna Karlstad", "natverk"),
    ("ILCO Värmland", "forening"),
    ("Insolvens Karlstad", "forening"),
    ("Internationella Qvinnoföreningen", "forening"),
    ("Kvinnojouren i Sunne", "forening"),
    ("Länskvinnojouren", "forening"),
    ("Mag- och Tarmföreningen", "forening"),
    ("NTF Värmland", "forening"),
    ("Patientföreningen Musslan", "forening"),
    ("Personskadeförbundet RTP", "forening"),
    ("PRO", "forening"),
    ("RFSL Värmland", "forening"),
    ("RSMH Sunne", "forening"),
    ("RSMH Värmland", "forening"),
    ("RSMH Årjäng", "forening"),
    ("Rädda barnen", "forening"),
    ("Rädda barnen Karlstad Hammarö", "forening"),
    ("Röda korset", "forening"),
    ("Röda korset, region Mellan", "forening"),
    ("SELMA-gruppen", "forening"),
    ("SPF Värmlandsdistriktet", "forening"),
    ("Studieförbundet Vuxenskolan Värmland", "forening"),
    ("SV Värmland", "forening"),
    ("VNF – MHF", "forening"),
    ("Värmlands länkråd", "forening"),
    ("Värmlands läns kvinnojourer", "natverk"),
    ("Värmlands mansforum", "forening"),
    ("Värmlands Nykterhetsförbund", "forening"),
    ("Värmlandskooperativen", "natverk"),
    ("Landstinget i Värmland", "offentlig"),
]

DEMO_USERS = [
    ("admin@samrad.example", "Ada Administratör", [Role.ADMIN], None),
    ("moderator@samrad.example", "Moa Moderator", [Role.MODERATOR], None),
    ("skrivargrupp@samrad.example", "Sam Skrivargrupp", [Role.SKRIVARGRUPP], None),
    ("svarande@samrad.example", "Svea Svarande", [Role.RESPONDENT], "802473-5832"),
]


def get_or_create_organisation(name, **fields):
    """Find an organisation by organisation number, else by name; create it if missing."""
    org = None
    if fields.get("org_number"):
        org = db.session.scalar(sa.select(Organisation).where(Organisation.org_number == fields["org_number"]))
    if org is None:
        org = db.session.scalar(sa.select(Organisation).where(Organisation.name == name))
    if org is None:
        org = Organisation(name=name, **fields)
        db.session.add(org)
        db.session.flush()
    return org


def seed_core():
    for name, number, form, region in VG_PLATFORMS:
        get_or_create_organisation(name, org_number=number, legal_form=form, sub_region=region)
    for name, form in VARMLAND_ORGANISATIONS:
        get_or_create_organisation(name, legal_form=form, sub_region="varmland")
    for email, name, roles, org_number in DEMO_USERS:
        user = db.session.scalar(sa.select(User).where(User.email == email))
        if user is None:
            user = User(email=email, name=name)
            user.set_password(DEMO_PASSWORD)
            user.set_roles(roles)
            db.session.add(user)
            db.session.flush()
        if org_number:
            org = db.session.scalar(sa.select(Organisation).where(Organisation.org_number == org_number))
            if org.id not in user.organisation_ids:
                user.memberships.append(Membership(organisation=org, can_sign=True))
    db.session.commit()
