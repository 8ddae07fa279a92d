"""A reviewer's workbench over a warehouse (``certreport serve``): reports and findings
beside the page they come from, in Chinese first, with decisions kept in the ``reviews``
table. Needs the ``serve`` extra (FastAPI, Jinja2, uvicorn)."""
