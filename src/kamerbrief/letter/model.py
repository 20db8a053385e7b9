"""The letter file as written by a policy officer: the validated input model (pydantic)."""

from __future__ import annotations

import datetime as dt
import difflib
import re
from typing import Annotated, Any, Literal, Union, get_args

from pydantic import (AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field,
                      TypeAdapter, ValidationError, WithJsonSchema, model_validator)
from pydantic_core import PydanticCustomError

from . import limits
from .load import Source

_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _parse_date(value: Any) -> Any:
    """Dates are written YYYY-MM-DD; anything else gets a sentence, not a guess."""
    if value is None:
        return value
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):  # a TOML date
        return _in_range(value)
    if isinstance(value, str) and _ISO_DATE.match(value.strip()):
        try:
            day = dt.date.fromisoformat(value.strip())
        except ValueError:
            raise PydanticCustomError(
                "date_impossible", "{value} is not a date that exists; check the day and month",
                {"value": value.strip()})
        return _in_range(day)
    raise PydanticCustomError(
        "date_format", "write the date as YYYY-MM-DD, for example 2019-12-09", {})


def _in_range(day: dt.date) -> dt.date:
    if not limits.FIRST_YEAR <= day.year <= limits.LAST_YEAR:
        raise PydanticCustomError(
            "date_range", "the year {year} is outside {first}–{last}, the years a .docx file "
            "can hold; check the year", {"year": day.year, "first": limits.FIRST_YEAR,
                                         "last": limits.LAST_YEAR})
    return day


def _one_or_more(value: Any) -> Any:
    """A single signatory may be written without the list around it."""
    return [value] if isinstance(value, dict) else value


_LINE_BREAKS = ("\n", "\r", "\x85", "\u2028", "\u2029")


def _one_line(value: str) -> str:
    """A one-line field: not blank, no line break inside, not too long; spaces around it and
    the line break a YAML block (| or >) leaves at its end are dropped."""
    value = value.strip()
    if not value:
        raise PydanticCustomError("blank", "must not be empty", {})
    if any(mark in value for mark in _LINE_BREAKS):
        raise PydanticCustomError(
            "line_break", "must be one line; remove the line break (both outputs print this "
            "field on one line)", {})
    if len(value) > limits.MAX_LINE_CHARS:
        raise PydanticCustomError(
            "line_too_long", "is {length} characters long; at most {limit} fit here: shorten it",
            {"length": len(value), "limit": limits.MAX_LINE_CHARS})
    return value


def _some_text(value: str) -> str:
    """A Markdown text (a footnote, a section's text): not blank, not too long."""
    if not value.strip():
        raise PydanticCustomError("blank", "must not be empty", {})
    return _not_too_long(value)


def _not_too_long(value: str) -> str:
    if len(value) > limits.MAX_TEXT_CHARS:
        raise PydanticCustomError(
            "text_too_long", "is {length} characters long; a text may have at most {limit}: "
            "split it over sections or move it to an attachment",
            {"length": len(value), "limit": limits.MAX_TEXT_CHARS})
    return value


Line = Annotated[str, Field(min_length=1, max_length=limits.MAX_LINE_CHARS),
                 AfterValidator(_one_line)]
Text = Annotated[str, Field(min_length=1, max_length=limits.MAX_TEXT_CHARS),
                 AfterValidator(_some_text)]
Body = Annotated[str, Field(max_length=limits.MAX_TEXT_CHARS), AfterValidator(_not_too_long)]
Lines = list[Line]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class OrganisationFields(_Strict):
    """Registry fields a letter may override for its sender (e.g. a directorate or contact)."""

    name: Line | None = Field(None, description="Full name of the sending organisation")
    wordmark: Lines | None = Field(None, description="Wordmark lines next to the logo")
    colofon_name: Line | None = Field(None, description="First, bold line of the colofon")
    visit_address: Lines | None = Field(None, description="Visit address lines")
    postal_address: Lines | None = Field(None, description="Postal address lines (Postbus ...)")
    website: Line | None = None
    phone: Line | None = None
    email: Line | None = None
    contact: Lines | None = Field(None, description="Contact lines in the colofon")
    subject_label: Literal["Betreft", "Onderwerp"] | None = None
    colofon_note: Line | None = None


class SenderSpec(OrganisationFields):
    ministry: Line = Field(description="Registry key of the ministry, e.g. jenv")
    unit: Line | None = Field(None, description="Registry key of a unit, e.g. nctv")


class AddressSpec(_Strict):
    name: Lines = Field(min_length=1, description="Name lines")
    address: Lines = Field(default_factory=list, description="Street or Postbus lines")
    postcode: Line | None = None
    city: Line = Field(description="City; printed in capitals")


class SectionSpec(_Strict):
    heading: Line | None = Field(None, description="Heading of this section")
    text: Body | None = Field(None, description="Markdown body text")
    sections: list["SectionSpec"] = Field(default_factory=list, description="Sub-sections")


class SignatorySpec(_Strict):
    title: Line = Field(description='e.g. "De Minister van Justitie en Veiligheid"')
    name: Line


# -- the Kamerstuk form and structured citations (docs/letter-format.md, "Kamerstuk") --------

def _number_as_text(value: Any) -> Any:
    """A number written without quotes (29754, 2011) is read as text."""
    return str(value) if isinstance(value, int) and not isinstance(value, bool) else value


NumberText = Annotated[str, BeforeValidator(_number_as_text), Field(min_length=1),
                      WithJsonSchema({"anyOf": [{"type": "string", "minLength": 1},
                                                {"type": "integer"}]})]
CITE_KINDS = Literal["kamerstuk", "handelingen", "aanhangsel", "stb", "stcrt", "trb",
                     "wetsvoorstel", "staatsblad", "staatscourant", "tractatenblad"]


class DossierSpec(_Strict):
    number: NumberText = Field(description='Dossier number, e.g. "29 754", "21 501-02", '
                                      '"36 600 VII"; printed grouped ("29 754")')
    title: Text = Field(description="Dossier title, e.g. Terrorismebestrijding")


class KamerstukSpec(_Strict):
    """Where the letter is published as a Kamerstuk (needed for --format kamerstuk)."""

    dossiers: list[DossierSpec] = Field(default_factory=list,
                                        description="One or more dossiers, in print order")
    ondernummer: NumberText | None = Field(None, description="Nr. of the stuk: a number for the "
                                          "Tweede Kamer, letters (e.g. G) for the Eerste Kamer")
    vergaderjaar: NumberText | None = Field(None, description="YYYY-YYYY; derived from "
                                                   "the date when left out")
    title: Text | None = Field(None, description='Overrides the derived "BRIEF VAN DE ..."')


class CiteSpec(_Strict):
    """One parliamentary citation, rendered in the letter's citation style."""

    kind: CITE_KINDS = Field(description="kamerstuk, handelingen, aanhangsel, stb, stcrt, trb "
                             "or wetsvoorstel")
    chamber: Literal["I", "II"] | None = Field(None, description="II Tweede Kamer (default), "
                                               "I Eerste Kamer")
    year: NumberText | None = Field(None, description="Vergaderjaar YYYY-YYYY; a calendar year "
                                   "for stb, stcrt, trb")
    dossier: NumberText | None = Field(None, description='e.g. "29 754"')
    nr: int | None = Field(None, description="Ondernummer, Handelingen or Aanhangsel number, "
                           "or the number in the Staatsblad/Staatscourant")
    letter: str | None = Field(None, description="An Eerste Kamer stuk: its letter, instead of nr")
    item: int | None = Field(None, description="Handelingen item (from 2010-2011)")
    page: NumberText | None = Field(None, description="Page, e.g. 3")
    pages: NumberText | None = Field(None, description='Pages, e.g. "25-36"')

    @model_validator(mode="before")
    @classmethod
    def _kind_as_key(cls, data: Any) -> Any:
        if isinstance(data, dict) and "kind" not in data:
            for key in data:
                if key in get_args(CITE_KINDS):
                    raise PydanticCustomError(
                        "cite_shorthand", "write the kind as its own field: kind: {key}, and "
                        "the number as dossier: or nr:", {"key": key})
        return data


Cites = Annotated[list[CiteSpec], BeforeValidator(lambda v: [v] if isinstance(v, dict) else v),
                  Field(min_length=1)]


class CiteNoteSpec(_Strict):
    """A footnote written as data: citations, optionally a second group after `then`."""

    cite: Cites = Field(description="A citation, or a list of them (joined with , and en)")
    then: Text | None = Field(None, description='Text before the second group, e.g. '
                              '"Zie verder ook:"')
    also: list[CiteSpec] = Field(default_factory=list, description="The second group")


LetterDate = Annotated[dt.date | None, BeforeValidator(_parse_date)]
Signatories = Annotated[list[SignatorySpec], BeforeValidator(_one_or_more), Field(min_length=1)]

# -- Kamervragen: kind antwoorden (answers) and uitstel (postponement); see letter-format.md --

KINDS = ("brief", "antwoorden", "uitstel")
_VERGADERJAAR = re.compile(r"^(\d{4})[-\u2013](\d{4})$")


def _vergaderjaar(value: Any) -> Any:
    """2024-2025: two years, the second one after the first."""
    text = str(value).strip() if isinstance(value, (str, int)) else value
    if isinstance(text, str):
        found = _VERGADERJAAR.match(text)
        if found and int(found.group(2)) == int(found.group(1)) + 1:
            return f"{found.group(1)}-{found.group(2)}"
    raise PydanticCustomError("vergaderjaar", "write the vergaderjaar as two following years, "
                              "for example 2024-2025", {})


class MemberSpec(_Strict):
    name: Text = Field(description='The member\'s name as printed, e.g. "Erkens", "Van der Plas"')
    party: Text | None = Field(None, description='e.g. "VVD", "GroenLinks"; may be left out '
                               'when questions.parties_joint is given')


class AanhangselSpec(_Strict):
    vergaderjaar: Annotated[str, BeforeValidator(_vergaderjaar)] = Field(
        description="e.g. 2024-2025", json_schema_extra={"pattern": r"^\d{4}-\d{4}$"})
    nr: int = Field(ge=1, description="The number in the Aanhangsel van de Handelingen")


class ItemSpec(_Strict):
    question: Text = Field(description="Markdown; footnote calls [^id] allowed")
    answer: Text | None = Field(None, description="Markdown; footnote calls [^id] allowed")
    answer_see: int | None = Field(None, ge=1, description='Instead of an answer: "Zie het '
                                   'antwoord op vraag n." (an earlier question)')


class QuestionsSpec(_Strict):
    """The set of written questions a letter of kind antwoorden or uitstel is about."""

    zaak: Text = Field(description="The Kamer's zaak number, e.g. 2024Z21580 (Uw kenmerk)")
    submitted: Annotated[dt.date, BeforeValidator(_parse_date)] = Field(
        description="Date the questions were submitted (ingezonden), YYYY-MM-DD")
    members: list[MemberSpec] = Field(min_length=1, description="The members who asked")
    parties_joint: Text | None = Field(None, description='e.g. "allen GroenLinks": printed '
                                       'after the names instead of a party per member')
    addressees: Lines = Field(default_factory=list, description="To whom the questions were "
                              "put, e.g. \"De Minister van Binnenlandse Zaken en "
                              "Koninkrijksrelaties\"; default: the signatories' titles")
    about: Text = Field(description="The subject (onderwerp), lower-case start, without 'over'")
    answered_by: Text | None = Field(None, description='e.g. "Minister Uitermark (Binnenlandse '
                                     'Zaken en Koninkrijksrelaties)"; default from minister')
    on_behalf_of: Lines = Field(default_factory=list, description='"mede namens ..." list')
    aanhangsel: AanhangselSpec | None = Field(None, description="Aanhangsel Handelingen "
                                              "number, when known (publication preview)")
    items: list[ItemSpec] = Field(default_factory=list, description="kind antwoorden: the "
                                  "questions and answers, numbered 1, 2, 3 ... in order")
    uitstel_sent: LetterDate = Field(None, description="kind antwoorden: date of the "
                                     "postponement letter, if one was sent")
    reason: Text | None = Field(None, description='kind uitstel: completes "De reden van het '
                                'uitstel is dat ..."')
    expected: Text | None = Field(None, description='kind uitstel: completes "De beantwoording '
                                  'zal plaatshebben ...", e.g. "omstreeks 20 januari 2009"')
    repeat: bool = Field(False, description="kind uitstel: a second postponement")


class Letter(_Strict):
    """A letter file (see letter-format.md)."""

    kind: Literal["brief", "antwoorden", "uitstel"] = Field(
        "brief", description="brief (a letter), antwoorden (answers to Kamervragen) or uitstel "
                             "(postponement of the answers)")
    sender: SenderSpec
    recipient: Union[Line, AddressSpec] = Field(
        description="Registry key (tweede-kamer, eerste-kamer) or an inline address")
    date: LetterDate = Field(None, description="YYYY-MM-DD; may be left out only in a draft")
    kenmerk: Line | None = Field(None, description="Ons kenmerk; may be left out only in a draft")
    your_reference: Line | None = Field(None, description="Uw kenmerk; for kind antwoorden "
                                        "and uitstel it defaults to questions.zaak")
    your_letter_date: LetterDate = Field(None, description='"Uw brief van", YYYY-MM-DD; for '
                                         'kind antwoorden and uitstel it defaults to '
                                         'questions.submitted')
    # subject and sections: required for kind brief (validate_fields, the schema's allOf);
    # generated for antwoorden and uitstel unless written. No null: left out, or given.
    subject: Line = Field(None, description="Required for kind brief; generated for "
                          "antwoorden and uitstel unless written")
    attachments: Lines = Field(default_factory=list, description="Titles of attachments")
    opening: Line | None = Field(None, description='Salutation, e.g. "Geachte voorzitter,"')
    sections: list[SectionSpec] = Field(
        None, min_length=1, description="The body, in order; required for kind brief, "
                                        "generated for antwoorden and uitstel unless written")
    footnotes: dict[str, Union[Text, CiteNoteSpec]] = Field(
        default_factory=dict, description="id -> text (or a citation as data), called as [^id]")
    references: dict[str, CiteSpec] = Field(
        default_factory=dict, description="id -> a citation as data, printed in the text where "
        "[@id] stands, in the short form (Kamerstuk 29 754, nr. 678)")
    citation_style: Literal["ar", "publicatie", "kort"] | None = Field(
        None, description="How citations written as data print (default: ar in the letter, "
        "publicatie in the Kamerstuk form)")
    closing: Line | None = Field(None, description='e.g. "Hoogachtend,"')
    minister: Signatories = Field(description="The signatory, or a list for a co-signed letter")
    status: Literal["final", "draft"] = "final"
    questions: QuestionsSpec | None = Field(None, description="The Kamervragen: required for "
                                            "kind antwoorden and uitstel, not allowed for brief")
    kamerstuk: KamerstukSpec | None = Field(
        None, description="Dossiers and Nr. of the Kamerstuk (for --format kamerstuk)")

    @staticmethod
    def required_for(kind: Any) -> tuple[str, ...]:
        """The fields a letter of this kind must have besides the always-required ones."""
        return ("questions",) if kind in ("antwoorden", "uitstel") else ("subject", "sections")


# one adapter per field, with the field's constraints (min_length ...) in its annotation
_ADAPTERS = {name: TypeAdapter(info.rebuild_annotation())
             for name, info in Letter.model_fields.items()}


DATE_PATTERN = r"^\s*[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])\s*$"


def json_schema() -> dict:
    """The JSON Schema of the letter file, for editors: the model's own schema, plus what
    `check` also enforces as far as JSON Schema can say it (registry keys as enums, units per
    ministry, date pattern, one or many signatories, date and kenmerk in a final letter,
    sections at most three deep and never empty, the recipient's line limit)."""
    from ..layout import load_layout
    from ..registry import load_registry

    registry = load_registry()
    schema = Letter.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "Kamerbrief letter file"
    defs, props = schema["$defs"], schema["properties"]

    units = {key: sorted(ministry.units) for key, ministry in sorted(registry.ministries.items())}
    sender = defs["SenderSpec"]
    sender["properties"]["ministry"]["enum"] = list(units)
    sender["properties"]["unit"]["anyOf"] = [_one_of(sorted({u for us in units.values()
                                                             for u in us})), {"type": "null"}]
    sender["allOf"] = [{"if": {"properties": {"ministry": {"const": key}},
                               "required": ["ministry"]},
                        "then": {"properties": {"unit": {"anyOf": [_one_of(known),
                                                                   {"type": "null"}]}}}}
                       for key, known in units.items()]

    props["recipient"]["anyOf"][0] = {"enum": sorted(registry.recipients)}
    room = load_layout().recipient.max_lines - 1  # the postcode and city line is always there
    defs["AddressSpec"]["anyOf"] = [
        {"properties": {"name": {"maxItems": n}, "address": {"maxItems": room - n}}}
        for n in range(1, room + 1)]

    props["date"]["anyOf"][0] = {"type": "string", "pattern": DATE_PATTERN}
    one = props["minister"]["items"]
    props["minister"] = {"description": props["minister"]["description"],
                         "anyOf": [one, {k: v for k, v in props["minister"].items()
                                         if k != "description"}]}
    schema["if"] = {"properties": {"status": {"const": "draft"}}, "required": ["status"]}
    schema["else"] = {"required": ["date", "kenmerk"],
                      "properties": {"date": {"type": "string"}, "kenmerk": {"type": "string"}}}

    # subject and sections are required for a brief; a kind about Kamervragen needs questions
    schema["allOf"] = [{"if": {"properties": {"kind": {"enum": ["antwoorden", "uitstel"]}},
                               "required": ["kind"]},
                        "then": {"required": ["questions"]},
                        "else": {"required": ["subject", "sections"],
                                 "not": {"required": ["questions"]}}}]
    _section_levels(defs, props)
    return schema


def _one_of(values: list[str]) -> dict:
    return {"enum": values} if values else {"not": {}}


def _section_levels(defs: dict, props: dict) -> None:
    """SectionSpec as three levels (a fourth is refused) that are never empty."""
    import copy

    spec = defs.pop("SectionSpec")
    not_empty = [{"required": ["heading"], "properties": {"heading": {"type": "string"}}},
                 {"required": ["text"], "properties": {"text": {"type": "string",
                                                                "pattern": "\\S"}}},
                 {"required": ["sections"], "properties": {"sections": {"minItems": 1}}}]
    for level in (1, 2, 3):
        section = copy.deepcopy(spec)
        section["title"] = f"Section (level {level})"
        section["anyOf"] = not_empty
        if level < 3:
            section["properties"]["sections"]["items"] = {"$ref": f"#/$defs/Section{level + 1}"}
        else:
            section["properties"]["sections"] = {"type": "array", "maxItems": 0,
                                                 "description": "sections nest at most three "
                                                 "deep"}
        defs[f"Section{level}"] = section
    props["sections"]["items"] = {"$ref": "#/$defs/Section1"}


def validate_fields(source: Source) -> dict[str, Any]:
    """Validate each top-level field on its own; returns the valid ones, records the problems.

    Checking fields one by one lets later checks (registry, footnotes) run on the fields that
    are fine, so a letter gets every problem at once.
    """
    data: dict = source.data
    valid: dict[str, Any] = {}
    meant = set()  # fields a misspelled key was taken for: not reported missing as well
    for key in data:
        if key not in Letter.model_fields:
            source.problems.append(source.problem((key,), _unknown(key, Letter.model_fields)))
            meant.update(difflib.get_close_matches(str(key), list(Letter.model_fields), n=1))
    by_kind = Letter.required_for(data.get("kind", "brief"))
    source.meant = meant
    for name, info in Letter.model_fields.items():
        if name not in data:
            if (info.is_required() or name in by_kind) and name not in meant:
                source.problems.append(source.problem(
                    (), f"the required field '{name}' is missing; add it",
                    line=closest_line(source, name)))
            else:
                valid[name] = info.get_default(call_default_factory=True)
            continue
        try:
            valid[name] = _ADAPTERS[name].validate_python(data[name])
        except ValidationError as exc:
            for error in _not_misspelled(_relevant(exc.errors(), data[name]), name):
                path = at = (name,) + _data_path(error["loc"])
                if isinstance(data[name], dict) and path[1:2] == (0,):  # one signatory, no list
                    at = (name,) + path[2:]
                if error["type"] == "extra_forbidden":
                    line = source.line(at)
                elif error["type"] == "missing":
                    line = source.line(at[:-1])
                else:
                    line = source.line(at, value=True)
                source.problems.append(source.problem(path, _sentence(error, path), line=line))
    return valid


def closest_line(source: Source, name: str) -> int | None:
    """Where a missing top-level field belongs: the line of the field before it in the
    letter's order that the file has, else of the first field after it, else line 1."""
    order = list(Letter.model_fields)
    present = [key for key in order if key in source.data]
    before = [key for key in present if order.index(key) < order.index(name)]
    after = [key for key in present if order.index(key) > order.index(name)]
    for key in (before[-1:] + after[:1]):
        line = source.line((key,))
        if line:
            return line
    return 1


def _not_misspelled(errors: list[dict], name: str) -> list[dict]:
    """Leave out 'missing' errors for a field that a misspelled field next to it was taken
    for (`titel:` is reported as unknown with "did you mean 'title'?", not also as missing)."""
    meant = set()
    for error in errors:
        if error["type"] == "extra_forbidden":
            loc = _data_path(error["loc"])
            known = _known_fields((name,) + loc)
            for close in difflib.get_close_matches(str(loc[-1]), known, n=1):
                meant.add(loc[:-1] + (close,))
    return [error for error in errors
            if not (error["type"] == "missing" and _data_path(error["loc"]) in meant)]


def _unknown(key: str, known) -> str:
    close = difflib.get_close_matches(str(key), list(known), n=1)
    hint = f"did you mean '{close[0]}'?" if close else f"the fields are: {', '.join(known)}"
    return f"unknown field '{key}'; {hint}"


_TAGS = re.compile(r"^(str|constrained-str|int|list\[.*\]|dict\[.*\]|[A-Z]\w*Spec|function-.*|nullable.*)$")


def _data_path(loc: tuple) -> tuple:
    """Drop pydantic's union-branch tags from an error location, keeping the data path."""
    return tuple(p for p in loc if isinstance(p, int) or not _TAGS.match(str(p)))


def _at(value: Any, loc: tuple) -> Any:
    """The value at the data path before the first union tag of an error location."""
    for part in loc:
        if isinstance(part, str) and _TAGS.match(part):
            break
        try:
            value = value[part]
        except (KeyError, IndexError, TypeError):
            return None
    return value


def _relevant(errors: list[dict], value: Any) -> list[dict]:
    """Of the errors of a union (text or address), keep those of the branch the writer chose."""
    chosen = []
    for error in errors:
        tags = [p for p in error["loc"] if isinstance(p, str) and _TAGS.match(p)]
        here = _at(value, error["loc"])
        if tags and _is_text_branch(tags[0]) and isinstance(here, dict):
            continue
        if tags and tags[0].endswith("Spec") and isinstance(here, str):
            continue
        chosen.append(error)
    return chosen or errors


def _is_text_branch(tag: str) -> bool:
    return tag == "str" or (tag.startswith("function-") and "str" in tag)


def _sentence(error: dict, path: tuple) -> str:
    """A pydantic error in words a policy officer understands."""
    kind = error["type"]
    last = path[-1] if path else ""
    if kind == "extra_forbidden":
        return _unknown(last, _known_fields(path))
    if kind == "missing":
        return f"the required field '{last}' is missing; add it"
    if kind in ("string_type",):
        return "must be text; put it in quotes if it looks like a number, a date or yes/no"
    if kind in ("string_too_short", "too_short"):
        return "must not be empty"
    if kind == "string_too_long":
        return (f"is too long: at most {error['ctx']['max_length']} characters fit here; "
                f"shorten it")
    if kind == "list_type":
        return "must be a list (lines starting with '- ')"
    if kind in ("model_type", "dict_type", "model_attributes_type"):
        return "must be a group of fields (key: value on the lines below, indented)"
    if kind in ("int_type", "int_parsing", "int_from_float"):
        return "must be a whole number, for example 3"
    if kind in ("greater_than_equal",):
        return f"must be {error['ctx']['ge']} or more"
    if kind in ("bool_type", "bool_parsing"):
        return "must be true or false"
    if kind == "literal_error":
        return f"must be one of {error['ctx']['expected']}"
    return error["msg"]


def _known_fields(path: tuple) -> list[str]:
    """The field names allowed at the place of an unknown field."""
    models = {"sender": SenderSpec, "recipient": AddressSpec, "minister": SignatorySpec,
              "sections": SectionSpec, "members": MemberSpec, "items": ItemSpec,
              "aanhangsel": AanhangselSpec, "questions": QuestionsSpec,
              "kamerstuk": KamerstukSpec, "dossiers": DossierSpec,
              "cite": CiteSpec, "also": CiteSpec, "footnotes": CiteNoteSpec,
              "references": CiteSpec}
    for part in reversed(path[:-1]):
        if isinstance(part, str) and part in models:
            return list(models[part].model_fields)
    return list(Letter.model_fields)
