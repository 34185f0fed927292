"""Argon2 with the smallest cost: the production cost (about 0.5 s a hash) would make the suite crawl."""

from django.contrib.auth.hashers import Argon2PasswordHasher


class FastArgon2PasswordHasher(Argon2PasswordHasher):
    time_cost = 1
    memory_cost = 8
    parallelism = 1
