"""Each role sees exactly the pages it may use: every parameterless GET page, tried as every persona.

A new page without an entry in POLICY fails this test, so no page is added without deciding who may see it.
"""
import re
from collections import Counter

import pytest
from flask import url_for

from core.models import Role

ANON, RESPONDENT, MODERATOR, SKRIVARGRUPP, ADMIN = "anonymous", "respondent", "moderator", "skrivargrupp", "admin"
EVERYONE = {ANON, RESPONDENT, MODERATOR, SKRIVARGRUPP, ADMIN}
LOGGED_IN = EVERYONE - {ANON}

# endpoint -> the personas that get the page (others: login redirect when anonymous, else 403)
POLICY = {
    "core.home": EVERYONE,
    "core.healthz": EVERYONE,
    "core.plotly_js": EVERYONE,
    "auth.login": EVERYONE,
    "auth.forgot_password": EVERYONE,
    "auth.account": LOGGED_IN,
    "auth.users": {ADMIN},
    "auth.invite": {ADMIN},
    "audit.index": {ADMIN},
    "audit.export": {ADMIN},
    "core.mail_queue": {ADMIN},
    "organisations.index": {MODERATOR, SKRIVARGRUPP, ADMIN},
    "organisations.create": {ADMIN},
    "organisations.import_upload": {ADMIN},
    "dialog.index": EVERYONE,
    "dialog.feed": EVERYONE,
    "dialog.manage.index": {MODERATOR, ADMIN},
    "dialog.manage.new_meeting": {MODERATOR, ADMIN},
    "dialog.manage.new_series": {MODERATOR, ADMIN},
    "dialog.manage.erase_person": {MODERATOR, ADMIN},
    "barometer.index": {MODERATOR, ADMIN},
    "barometer.new": {MODERATOR, ADMIN},
    "barometer_live.join_code": EVERYONE,
    "barometer_api.openapi": EVERYONE,
    "remiss.index": EVERYONE,
    "remiss.create": {SKRIVARGRUPP, ADMIN},
    "remiss.fresh_csrf": EVERYONE,
    "remiss.logged_in_again": LOGGED_IN,
    "agreements.index": EVERYONE,
    "agreements.create": {ADMIN},
}

ROLES = {RESPONDENT: [Role.RESPONDENT], MODERATOR: [Role.MODERATOR], SKRIVARGRUPP: [Role.SKRIVARGRUPP],
         ADMIN: [Role.ADMIN]}


def parameterless_get_endpoints(app):
    for rule in app.url_map.iter_rules():
        if "GET" in rule.methods and not rule.arguments and rule.endpoint != "static":
            yield rule.endpoint, rule.rule


@pytest.mark.parametrize("persona", sorted(EVERYONE))
def test_every_page_answers_each_role_as_the_policy_says(app, client, auth, make_user, make_organisation, persona):
    if persona != ANON:
        org = make_organisation("Testföreningen")
        user = make_user(f"{persona}@test.example", roles=ROLES[persona], organisations=[org])
        auth.login_as(user)
    unknown = []
    for endpoint, url in parameterless_get_endpoints(app):
        if endpoint not in POLICY:
            unknown.append(endpoint)
            continue
        response = client.get(url)
        allowed = persona in POLICY[endpoint]
        if allowed:
            assert response.status_code in (200, 302), f"{persona} should see {url}: {response.status_code}"
            if response.status_code == 302:
                assert "/login" not in response.headers["Location"], f"{persona} sent to login from {url}"
        elif persona == ANON:
            assert response.status_code == 302 and "/login" in response.headers["Location"], url
        else:
            assert response.status_code in (403, 404), f"{persona} must not see {url}: {response.status_code}"
        response.close()
    assert not unknown, f"add these endpoints to POLICY: {unknown}"


@pytest.mark.parametrize("persona", sorted(LOGGED_IN))
def test_navigation_shows_only_what_the_role_may_use(app, client, auth, make_user, persona):
    user = make_user(f"{persona}@test.example", roles=ROLES[persona])
    auth.login_as(user)
    html = client.get("/").get_data(as_text=True)
    nav = html.split('class="main-nav"')[1].split("</nav>")[0]
    for item in app.extensions["samrad_nav"]:
        href = f'href="{url_for(item["endpoint"])}"'
        roles = item["roles"]
        visible = roles is None or not roles or persona == ADMIN or persona in roles
        assert (href in nav) == visible, f"{persona}: nav item {item['endpoint']} visible={href in nav}"


def test_no_page_repeats_an_element_id(app, client, auth, admin, make_organisation):
    """Duplicate ids break labels and screen readers (WCAG 4.1.1); many small forms on one page made them."""
    org = make_organisation("Förening utan adress", needs_review=True)
    auth.login_as(admin)
    pages = [rule.rule for rule in app.url_map.iter_rules()
             if "GET" in rule.methods and not rule.arguments and rule.endpoint in POLICY
             and not rule.rule.endswith((".ics", ".csv", ".xlsx", ".js", ".json", "healthz"))]
    pages.append(f"/organisationer/{org.id}")  # several one-button forms on one page
    repeated = {}
    for url in pages:
        html = client.get(url, follow_redirects=True).get_data(as_text=True)
        twice = [i for i, n in Counter(re.findall(r'\sid="([^"]+)"', html)).items() if n > 1]
        if twice:
            repeated[url] = twice
    assert not repeated
