"""Every write of the cadres app, one module per subject; each service writes its audit event.

- ``roster_import``: the cadre roster import; ``roster_export``: the 干部名册 export;
- ``career``: appointments, removals, ranks, 职数, young-cadre thresholds;
- ``appraisal``: annual rounds, routine/special appraisals, leadership-team scores;
- ``evidence``: 考核依据 records.
"""

from zugong.cadres.services.roster_export import cadre_export
from zugong.cadres.services.roster_import import CadreRecord, prepare_cadres, write_cadres

__all__ = ["CadreRecord", "cadre_export", "prepare_cadres", "write_cadres"]
