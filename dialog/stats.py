"""Numbers: attendance per meeting, participating organisations, returning organisations, exports."""
from collections import Counter, defaultdict

from flask_babel import lazy_gettext as _l

from core.models import LEGAL_FORMS, SUB_REGIONS
from core.timeutil import utc_to_local_naive

UNKNOWN = _l("Okänd")
NO_REGION = _l("Ingen delregion")
NO_ORGANISATION = _l("Utan organisation")


def participating_organisations(meeting):
    """The annex: the organisations present at a meeting, with how many came from each, by name."""
    counts = Counter()
    orgs = {}
    for registration in meeting.registrations:
        if not registration.attended:
            continue
        label = registration.organisation_label
        if not label:
            continue
        counts[label] += 1
        orgs[label] = registration.organisation
    return [(name, counts[name], orgs[name]) for name in sorted(counts, key=str.lower)]


def attendance_rows(meetings):
    """Per meeting: registered, attended and organisations present."""
    rows = []
    for meeting in meetings:
        registered = sum(1 for r in meeting.registrations if r.is_registered)
        attended = sum(1 for r in meeting.registrations if r.attended)
        organisations = len(participating_organisations(meeting))
        rows.append({"meeting": meeting, "registered": registered, "attended": attended,
                     "organisations": organisations})
    return rows


def _organisation_key(registration):
    return registration.organisation_id or ("name", registration.organisation_name)


def organisations_present(meetings):
    """Each organisation present at any of the meetings → the set of meeting ids it came to."""
    seen = defaultdict(set)
    objects = {}
    for meeting in meetings:
        for registration in meeting.registrations:
            if registration.attended and registration.organisation_label:
                key = _organisation_key(registration)
                seen[key].add(meeting.id)
                objects[key] = registration
    return seen, objects


def by_legal_form_and_region(meetings):
    seen, objects = organisations_present(meetings)
    forms, regions = Counter(), Counter()
    for key in seen:
        org = objects[key].organisation
        forms[str(LEGAL_FORMS.get(org.legal_form, org.legal_form)) if org else str(UNKNOWN)] += 1
        region = org.sub_region if org else None
        regions[str(SUB_REGIONS.get(region, region)) if region else str(NO_REGION)] += 1
    return forms, regions


def _person_key(registration):
    """Who a present registration was, across meetings: the email address, else name and organisation.

    Anonymised registrations and walk-ins without a name cannot be told apart, so each counts once."""
    if registration.email:
        return ("email", registration.email)
    name = " ".join((registration.name or "").split()).lower()
    if name and not registration.anonymised:
        return ("name", name, str(_organisation_key(registration)))
    return ("registration", registration.id)


def series_reach(meetings):
    """The figure the process slides quote: distinct people and distinct organisations present over all the
    meetings, in all and by legal form and by sub-region (of the person's organisation).

    Returns {"people": n, "organisations": n, "by_legal_form": [(label, people, organisations)],
    "by_region": [...]}, each list largest first."""
    people = {}
    organisations = {}
    for meeting in meetings:
        for registration in meeting.registrations:
            if not registration.attended:
                continue
            people.setdefault(_person_key(registration), registration)
            if registration.organisation_label:
                organisations.setdefault(_organisation_key(registration), registration)

    def form_of(registration):
        org = registration.organisation
        if org is None:
            return str(UNKNOWN) if registration.organisation_label else str(NO_ORGANISATION)
        return str(LEGAL_FORMS.get(org.legal_form, org.legal_form))

    def region_of(registration):
        org = registration.organisation
        return str(SUB_REGIONS.get(org.sub_region, org.sub_region)) if org and org.sub_region else str(NO_REGION)

    def breakdown(label_of):
        rows = defaultdict(lambda: [0, 0])
        for registration in people.values():
            rows[label_of(registration)][0] += 1
        for registration in organisations.values():
            rows[label_of(registration)][1] += 1
        return sorted(((label, p, o) for label, (p, o) in rows.items()), key=lambda r: (-r[1], -r[2], r[0]))

    return {"people": len(people), "organisations": len(organisations),
            "by_legal_form": breakdown(form_of), "by_region": breakdown(region_of)}


def returning_organisations(meetings):
    """How many organisations came to 1, 2, 3… meetings of the given meetings."""
    seen, _ = organisations_present(meetings)
    return Counter(len(ids) for ids in seen.values())


def organisation_table(meetings):
    """Rows for export: organisation, legal form, sub-region, and attendance per meeting."""
    seen, objects = organisations_present(meetings)
    rows = []
    for key, ids in seen.items():
        registration = objects[key]
        org = registration.organisation
        rows.append([
            registration.organisation_label,
            str(LEGAL_FORMS.get(org.legal_form, org.legal_form)) if org else "",
            str(SUB_REGIONS.get(org.sub_region, org.sub_region)) if org and org.sub_region else "",
            len(ids),
            *[("x" if m.id in ids else "") for m in meetings],
        ])
    return sorted(rows, key=lambda r: str(r[0]).lower())


# --- exports ------------------------------------------------------------------------------------

REGISTRATION_HEADER = ["Namn", "E-post", "Organisation", "Status", "Närvarande", "Spontant", "Kost",
                       "Tillgänglighet", "Anmäld"]
PER_MEETING_HEADER = ["Möte", "Datum", "Typ", "Anmälda", "Närvarande", "Organisationer"]


def registration_rows(meeting):
    """The meeting's registrations as rows under REGISTRATION_HEADER."""
    return [[r.name, r.email or "", r.organisation_label, str(r.status_label), r.attended, r.walk_in,
             r.dietary_needs, r.accessibility_needs, utc_to_local_naive(r.created_at)]
            for r in meeting.registrations]


def per_meeting_rows(meetings):
    """One row per meeting under PER_MEETING_HEADER."""
    return [[r["meeting"].title, utc_to_local_naive(r["meeting"].starts_at).date(), str(r["meeting"].kind_label),
             r["registered"], r["attended"], r["organisations"]] for r in attendance_rows(meetings)]


def organisation_header(meetings):
    """The header of organisation_table: the fixed columns, then one column per meeting (its date)."""
    return ["Organisation", "Organisationsform", "Delregion", "Antal möten",
            *[f"{utc_to_local_naive(m.starts_at):%Y-%m-%d}" for m in meetings]]
