"""Django validators wrapping the pure rules in :mod:`zhifa.core.rules`."""

from django.core.exceptions import ValidationError

from . import rules


def _raise_if(message: str | None) -> None:
    if message:
        raise ValidationError(message)


def validate_credit_code(value: str) -> None:
    _raise_if(rules.credit_code_error(value))


def validate_id_number(value: str) -> None:
    _raise_if(rules.id_number_error(value))


def validate_region_code(value: str) -> None:
    _raise_if(rules.region_code_error(value))


def validate_phone(value: str) -> None:
    _raise_if(rules.phone_error(value))
