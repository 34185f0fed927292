"""The vault's errors. Each maps to an API status through confide.lib.errors; none carries key or note material."""

from __future__ import annotations

from confide.lib.errors import ConfideError, Conflict, Unauthorized


class VaultClosed(Unauthorized):
    """No open key session for this request: the author must sign in again (with their password) to open it."""

    code = "vault_closed"


class VaultLocked(Conflict):
    """The clinician's key is locked after an administrator's password reset, until the recovery ceremony."""

    code = "vault_locked"


class VaultIntegrityError(Conflict):
    """A stored note or key failed authentication: its bytes were changed. Refused, audited, never a 500."""

    code = "vault_integrity"


class VaultNotInitialized(ConfideError):
    """The practice has no recovery key yet: the operator must run `confide vault init`."""

    status = 503
    code = "vault_not_initialized"
