"""One module per section of the report, each with one function from the
:class:`~gaussmix.report.context.ReportContext` to the section's HTML."""

from .data import data_section
from .density import density_section
from .header import header_section
from .model import model_section
from .outliers import outliers_section
from .page import footer, page
from .selection import selection_section
from .sizes import sizes_section
from .synthetic import synthetic_section

__all__ = ["header_section", "data_section", "selection_section", "model_section",
           "density_section", "sizes_section", "outliers_section", "synthetic_section",
           "footer", "page"]
