"""Server-test fixtures: cheap argon2 parameters, so the many logins of the API tests do not dominate the run.

The production parameters (64 MiB, 3 passes) cost about half a second of CPU per hash on a loaded test machine; the
tests still hash and verify with argon2id, only with small memory and time costs. A test that needs the real
parameters asks for the ``strong_password_hashing`` fixture (see tests/server/test_auth.py).
"""

from __future__ import annotations

import pytest
from argon2 import PasswordHasher

from omnidesk.server import security

PRODUCTION_HASHER = security._hasher


@pytest.fixture
def strong_password_hashing():
    """Keep the production argon2 parameters for this test."""
    return PRODUCTION_HASHER


@pytest.fixture(autouse=True)
def cheap_password_hashing(request, monkeypatch):
    if "strong_password_hashing" not in request.fixturenames:
        monkeypatch.setattr(security, "_hasher", PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))
