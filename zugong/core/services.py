"""Writes of shared records: Person. Every function writes its audit event in the same transaction."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from django.db import transaction

from zugong.core import codes, crypto
from zugong.core.audit import Actor, audit_record
from zugong.core.models import ID_CONTEXT, PHONE_CONTEXT, Person
from zugong.core.names import name_initials, name_stroke_key
from zugong.core.rules import IdNumberError, mask_id_number, parse_id_number
from zugong.core.scope import Scope


class PersonDataError(ValueError):
    """Raised when person data contradict each other; ``field`` names the 字段 at fault."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field


@dataclass
class PersonData:
    """Validated input for a Person. ``birth_date`` and ``gender`` default to what 身份证号 says."""

    name: str
    id_number: str
    gender: str | None = None
    ethnicity: str = codes.HAN
    birth_date: dt.date | None = None
    native_place: str = ""
    education: str = ""
    degree: str = "0"
    work_start_date: dt.date | None = None
    phone: str = ""


def id_number_index(number: str) -> str:
    """The HMAC blind index of a normalized 身份证号 (for exact lookup without decrypting)."""
    return crypto.blind_index(number, purpose=b"person.id_number")


def id_number_indexes(numbers: Sequence[str]) -> list[str]:
    """``id_number_index`` of each normalized 身份证号 (one call for a whole roster)."""
    return crypto.blind_index_many(numbers, purpose=b"person.id_number")


def person_fields(data: PersonData) -> dict:
    """Validate ``data`` and return the model field values of a Person (encrypted, indexed, masked).

    Raises PersonDataError (with the field name) when 身份证号 is invalid or when the birth date or
    gender given disagree with it (GB 11643-1999), or when a code is unknown.
    """
    name = data.name.strip()
    if not name:
        raise PersonDataError("姓名", "姓名不能为空")
    try:
        info = parse_id_number(data.id_number)
    except IdNumberError as exc:
        raise PersonDataError("身份证号", str(exc)) from None
    if data.birth_date is not None and data.birth_date != info.birth_date:
        # Rosters often keep only 出生年月: a first-of-month date agrees when year and month match.
        same_month = (data.birth_date.year, data.birth_date.month) == (info.birth_date.year, info.birth_date.month)
        if not (same_month and data.birth_date.day == 1):
            raise PersonDataError("出生年月", f"出生日期{data.birth_date:%Y.%m.%d}与身份证号（{info.birth_date:%Y.%m.%d}）不一致")
    if data.gender is not None and data.gender != info.gender:
        raise PersonDataError("性别", f"性别“{codes.label('gender', data.gender)}”与身份证号（{codes.label('gender', info.gender)}）不一致")
    if not codes.is_code("ethnicity", data.ethnicity):
        raise PersonDataError("民族", f"民族代码“{data.ethnicity}”不在GB/T 3304中")
    if data.education and not codes.is_code("education", data.education):
        raise PersonDataError("学历", f"学历代码“{data.education}”不在GB/T 4658中")
    if data.work_start_date is not None and data.work_start_date <= info.birth_date:
        raise PersonDataError("参加工作时间", "参加工作时间早于出生日期")
    return {
        "name": name,
        "name_initials": name_initials(name),
        "stroke_key": name_stroke_key(name),
        "id_number_cipher": crypto.encrypt(info.number, context=ID_CONTEXT),
        "id_number_index": id_number_index(info.number),
        "id_number_masked": mask_id_number(info.number),
        "gender": info.gender,
        "ethnicity": data.ethnicity,
        "birth_date": info.birth_date,
        "native_place": data.native_place,
        "education": data.education,
        "degree": data.degree or "0",
        "work_start_date": data.work_start_date,
        "phone_cipher": crypto.encrypt(data.phone, context=PHONE_CONTEXT) if data.phone else None,
    }


_AUDITED = ("name", "gender", "ethnicity", "birth_date", "native_place", "education", "degree", "work_start_date")


def person_upsert(*, actor: Actor, data: PersonData, scope_path: str = "") -> tuple[Person, bool]:
    """Create the Person with this 身份证号, or update the one that has it. Returns (person, created).

    Raises PersonDataError for invalid data. The audit event keeps before/after of plain fields
    (never the 身份证号 itself).
    """
    fields = person_fields(data)
    with transaction.atomic():
        person = Person.objects.select_for_update().filter(id_number_index=fields["id_number_index"]).first()
        if person is None:
            person = Person.objects.create(**fields)
            audit_record(actor, "person.create", object_type="Person", object_id=person.pk, summary=person.name,
                         after={k: fields[k] for k in _AUDITED}, scope_path=scope_path)
            return person, True
        before = {k: getattr(person, k) for k in _AUDITED}
        for key, value in fields.items():
            if key != "id_number_cipher":
                setattr(person, key, value)
        person.save()
        audit_record(actor, "person.update", object_type="Person", object_id=person.pk, summary=person.name,
                     before=before, after={k: fields[k] for k in _AUDITED}, scope_path=scope_path)
        return person, False


def person_reveal_id_number(*, actor: Actor, scope: Scope, person: Person) -> str:
    """Return the clear 身份证号 of ``person`` and audit the view.

    Raises PermissionDenied when the user's role may not see full numbers. The caller must already
    have checked that ``person`` lies in the user's subtree (through a selector).
    """
    from django.core.exceptions import PermissionDenied

    if not scope.may_view_id_numbers:
        raise PermissionDenied("无权查看完整身份证号")
    with transaction.atomic():
        audit_record(actor, "person.reveal_id_number", object_type="Person", object_id=person.pk,
                     summary=f"查看{person.name}的完整身份证号", scope_path=scope.org_path)
    return person.id_number
