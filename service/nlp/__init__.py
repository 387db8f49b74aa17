"""The spaCy pipeline: loaded once (`load_pipeline`), run by `parse`, its parses remembered by `ParseCache`.

`load.py` loads it and puts numcheck's faster components in place of spaCy's, behind one
setting; `ruler.py`, `lemmatizer.py` and `entities.py` are those components; `parse.py` runs them.
"""

from .load import NEEDED, components, faster, load_pipeline, pipeline_name
from .parse import ParseCache, overlap_point, parse

__all__ = ["NEEDED", "ParseCache", "components", "faster", "load_pipeline", "overlap_point", "parse", "pipeline_name"]
