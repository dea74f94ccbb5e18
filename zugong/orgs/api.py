"""API endpoints of this app (registered in zugong/api.py)."""

from ninja import Router

router = Router()
