"""Path converters shared by the web URL modules."""

from django.urls import register_converter


class IdConverter:
    """A database id: at most 18 digits, so an absurd number is a 404, never an overflow (a 500) in the database."""

    regex = "[0-9]{1,18}"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value: int) -> str:
        return str(value)


register_converter(IdConverter, "id")
