"""certreport: archived certification review reports (服务认证审查报告) to cross-checked Parquet."""
__version__ = "0.1.0"
