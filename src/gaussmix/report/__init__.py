"""An exploratory report on a data set, as one self-contained HTML file.

:func:`report` selects a mixture by BIC, then writes: a summary of the data, the
selection table and curves, the chosen model's parameters, density pictures, the
component sizes, the least likely rows (outlier candidates) and synthetic rows drawn
beside the data. Pictures are embedded as ``data:`` URIs and the page loads nothing
from anywhere: it opens offline, and can be mailed as one file.

Needs pandas and matplotlib (``pip install 'gaussmix[all]'``).

:mod:`.build` runs the selection and puts the page together; :mod:`.context` holds
what the sections read; :mod:`.sections` has one module per section; :mod:`.markup`
the HTML pieces, :mod:`.outline` the sections' anchors and headings, :mod:`.style`
the CSS.
"""

from .build import report

__all__ = ["report"]
