"""The OpenAPI 3 description of the live barometer API, served at /api/v1/openapi.json."""
from surveys.barometer.models import SessionState

ERROR = {"$ref": "#/components/schemas/Error"}


def _error(description):
    return {"description": description, "content": {"application/json": {"schema": ERROR}}}


CODE = {"name": "code", "in": "path", "required": True, "description": "Sessionens kod, sex tecken (t.ex. VARM15).",
        "schema": {"type": "string", "pattern": "^[A-Za-z0-9]{6}$"}}
STATEMENT_ID = {"name": "statement_id", "in": "path", "required": True, "schema": {"type": "integer"}}
TOO_MANY = _error("För många anrop (Flask-Limiter); försök igen efter Retry-After sekunder.")


def document(server_url=""):
    return {
        "openapi": "3.0.3",
        "info": {
            "title": "Samråd – åsiktsbarometer live",
            "version": "1.0.0",
            "description": (
                "Deltagarnas API för en pågående åsiktsbarometer. Gå med med sessionens kod, få en "
                "deltagarnyckel och svara på det öppna påståendet med `Authorization: Bearer <nyckel>`. "
                "Resultaten kräver moderatorns inloggning eller personliga API-nyckel "
                "(`flask --app app create-token EMAIL`) tills moderatorn visar dem för alla."
            ),
        },
        "servers": [{"url": server_url or "/"}],
        "paths": {
            "/api/v1/live/{code}": {
                "get": {
                    "summary": "Sessionens läge och det aktuella påståendet",
                    "parameters": [CODE],
                    "security": [{}, {"participantToken": []}],
                    "responses": {
                        "200": {"description": "Läget", "content": {"application/json": {
                            "schema": {"$ref": "#/components/schemas/State"}}}},
                        "404": _error("Okänd kod"),
                        "429": TOO_MANY,
                    },
                }
            },
            "/api/v1/live/{code}/join": {
                "post": {
                    "summary": "Gå med som anonym deltagare",
                    "parameters": [CODE],
                    "requestBody": {"required": False, "content": {"application/json": {"schema": {
                        "type": "object",
                        "properties": {"background": {
                            "type": "object",
                            "description": "Bakgrundsfrågans id → valt värde, eller null för ”Vill inte svara”.",
                            "additionalProperties": {"type": "string", "nullable": True}}},
                    }}}},
                    "responses": {
                        "201": {"description": "Deltagarnyckeln (visas en gång)", "content": {"application/json": {
                            "schema": {"type": "object", "required": ["participant_token"],
                                       "properties": {"participant_token": {"type": "string"}}}}}},
                        "400": _error("Okänt bakgrundssvar eller fel JSON"),
                        "404": _error("Okänd kod"),
                        "409": _error("Sessionen är avslutad"),
                        "429": TOO_MANY,
                    },
                }
            },
            "/api/v1/live/{code}/statements/{statement_id}/answer": {
                "put": {
                    "summary": "Svara (eller ändra svar) på det öppna påståendet",
                    "description": "Idempotent: samma svar två gånger ger ett svar; det senaste svaret gäller.",
                    "parameters": [CODE, STATEMENT_ID],
                    "security": [{"participantToken": []}],
                    "requestBody": {"required": True, "content": {"application/json": {"schema": {
                        "type": "object", "required": ["value"],
                        "properties": {"value": {"type": "integer", "nullable": True, "minimum": 1, "maximum": 7,
                                                 "description": "Steg på skalan; null för ”Vet inte / avstår”."}},
                    }}}},
                    "responses": {
                        "200": {"description": "Det sparade svaret", "content": {"application/json": {"schema": {
                            "type": "object", "properties": {
                                "statement_id": {"type": "integer"},
                                "value": {"type": "integer", "nullable": True}}}}}},
                        "400": _error("Värdet ligger utanför skalan"),
                        "401": _error("Deltagarnyckel saknas eller är okänd"),
                        "404": _error("Okänd kod eller påstående"),
                        "409": _error("Påståendet är stängt, inte aktuellt, eller sessionen är avslutad"),
                        "429": TOO_MANY,
                    },
                }
            },
            "/api/v1/live/{code}/results": {
                "get": {
                    "summary": "Antal svar per steg och påstående",
                    "parameters": [CODE],
                    "security": [{"apiToken": []}, {"cookieSession": []}, {}],
                    "responses": {
                        "200": {"description": "Resultat", "content": {"application/json": {
                            "schema": {"$ref": "#/components/schemas/Results"}}}},
                        "401": _error("Inte inloggad och resultaten visas inte ännu"),
                        "403": _error("Inte sessionens moderator"),
                        "404": _error("Okänd kod"),
                        "429": TOO_MANY,
                    },
                }
            },
            "/api/v1/live/{code}/events": {
                "get": {
                    "summary": "Server-Sent Events: läget varje gång moderatorn ändrar något",
                    "parameters": [CODE],
                    "responses": {
                        "200": {"description": "text/event-stream med händelsen `state` (samma innehåll som GET)",
                                "content": {"text/event-stream": {"schema": {"type": "string"}}}},
                        "404": _error("Okänd kod"),
                        "503": _error("För många öppna strömmar; fråga GET-adressen i stället"),
                    },
                }
            },
        },
        "components": {
            "securitySchemes": {
                "participantToken": {"type": "http", "scheme": "bearer",
                                     "description": "Deltagarnyckeln från /join."},
                "apiToken": {"type": "http", "scheme": "bearer",
                             "description": "Personlig API-nyckel (flask --app app create-token EMAIL)."},
                "cookieSession": {"type": "apiKey", "in": "cookie", "name": "session"},
            },
            "schemas": {
                "Error": {"type": "object", "required": ["error", "message"], "properties": {
                    "error": {"type": "string"}, "message": {"type": "string"}}},
                "Step": {"type": "object", "properties": {"value": {"type": "integer"}, "label": {"type": "string"}}},
                "Statement": {"type": "object", "properties": {
                    "id": {"type": "integer"}, "number": {"type": "integer"}, "text": {"type": "string"},
                    "steps": {"type": "array", "items": {"$ref": "#/components/schemas/Step"}},
                    "allow_dont_know": {"type": "boolean"}}},
                "Tally": {"type": "object", "properties": {
                    "counts": {"type": "array", "items": {"type": "integer"}},
                    "dont_know": {"type": "integer"}, "total": {"type": "integer"},
                    "mean": {"type": "number", "nullable": True}}},
                "State": {"type": "object", "properties": {
                    "code": {"type": "string"}, "title": {"type": "string"},
                    "state": {"type": "string", "enum": list(SessionState.ALL)},
                    "version": {"type": "integer"}, "statement_count": {"type": "integer"},
                    "statement": {"allOf": [{"$ref": "#/components/schemas/Statement"}], "nullable": True},
                    "statement_open": {"type": "boolean"}, "results_shown": {"type": "boolean"},
                    "results": {"allOf": [{"$ref": "#/components/schemas/Tally"}], "nullable": True},
                    "my_answer": {"type": "object", "nullable": True, "properties": {
                        "answered": {"type": "boolean"}, "value": {"type": "integer", "nullable": True}}}}},
                "Results": {"type": "object", "properties": {
                    "code": {"type": "string"}, "title": {"type": "string"}, "state": {"type": "string"},
                    "participants": {"type": "integer"},
                    "statements": {"type": "array", "items": {"allOf": [
                        {"$ref": "#/components/schemas/Statement"}, {"$ref": "#/components/schemas/Tally"}]}}}},
            },
        },
    }
