"""Data that drives certreport: clause catalogues of the certification schemes (``schemes/``)
and their validating loader (:mod:`certreport.schemas.catalogue`)."""
