"""People's names as the front desk types them and as the pages draw them: no Django, plain functions.

A search for "obrien" must find O'Brien and "jose" José on SQLite and PostgreSQL alike, and neither engine folds
accents or apostrophes the same way (SQLite's LIKE folds ASCII case only). So each client carries a normalized copy
of their names (`Client.search_name`, kept in step on save) and a search compares normalized words with it.
"""

from __future__ import annotations

import unicodedata

# Apostrophes and their look-alikes (curly, modifier letter, grave, acute, prime), dropped so that "O'Brien", the
# same with a curly apostrophe, and "OBrien" are one word.
APOSTROPHES = "'\u2019\u2018\u02bc\u02bb`\u00b4\u2032"
_DROP = str.maketrans("", "", APOSTROPHES)


def search_key(text: str) -> str:
    """`text` folded for matching: accents removed, case folded, apostrophes dropped, spaces collapsed."""
    decomposed = unicodedata.normalize("NFKD", str(text))
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(bare.casefold().translate(_DROP).split())


def search_words(query: str, limit: int = 4) -> list[str]:
    """The words of a search box's text, folded like `search_key`; words that fold to nothing are dropped."""
    words = [search_key(word) for word in str(query).split()]
    return [word for word in words if word][:limit]


def initials(name: str) -> str:
    """Up to two initials from the first and last words that hold a letter: "(Test) 3rd O'Brien" gives "TO".

    Digits and punctuation never become an initial, and a name with no letters at all gives "" (the avatar is
    decorative: the full name is always printed beside it)."""
    firsts = [next((ch for ch in word if ch.isalnum()), "") for word in str(name).split()]
    letters = [ch for ch in firsts if ch.isalpha()]  # "3rd" starts with a digit: not an initial
    if not letters:
        return ""
    picked = letters[:1] + letters[-1:] if len(letters) > 1 else letters
    return "".join(ch.upper()[0] for ch in picked)  # "ß".upper() is "SS": one letter per initial
