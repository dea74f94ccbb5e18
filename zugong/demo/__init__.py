"""The demo city: the real 六安市 division tree with a seeded synthetic population.

``build_demo(scale=…, seed=…, progress=…) -> DemoSummary`` and ``demo_reset()``; see README.md.
"""

from zugong.demo.build import DEMO_PASSWORD, DemoError, DemoSummary, build_demo, demo_reset, demo_usernames

__all__ = ["DEMO_PASSWORD", "DemoError", "DemoSummary", "build_demo", "demo_reset", "demo_usernames"]
