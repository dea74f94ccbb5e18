"""Settings for the test suite: production settings with a fast password hasher, plain static storage
and a cache folder of its own."""

import atexit
import shutil
import tempfile

from zugong.settings import *  # noqa: F403
from zugong.settings import CACHES, STORAGES

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# the file cache of production, in a folder of this test process (conftest clears it per test)
CACHES = {"default": {**CACHES["default"], "LOCATION": tempfile.mkdtemp(prefix="zugong-test-cache-")}}
atexit.register(shutil.rmtree, CACHES["default"]["LOCATION"], ignore_errors=True)
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}

STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # noqa: F405 — whitenoise warns when it is missing
