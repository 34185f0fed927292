import time
from typing import Any
from django.test import Client as HttpClient
from tests.conftest import PASSWORD

def test_timing(clinician: Any, settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.Argon2PasswordHasher"]
    clinician.set_password(PASSWORD); clinician.save()
    settings.LOCKOUT_THRESHOLD = 1000
    http = HttpClient()
    def t(u: str) -> float:
        best = []
        for i in range(7):
            s = time.perf_counter()
            http.post("/api/v1/auth/token", {"username": u, "password": f"wrong {i}"}, content_type="application/json")
            best.append(time.perf_counter() - s)
        best.sort(); return best[3]
    import confide.people.services as s; import pytest; mp = pytest.MonkeyPatch(); mp.setattr(s, "_dummy_check", lambda p: None)
    t("rivera"); t("nobody")
    print(f"\nTIMING known={t('rivera')*1000:.1f}ms unknown={t('nobody')*1000:.1f}ms")
