"""The caches of text the stages have seen (cell readings, header roles, labels, folds,
numbers), cleared between the benchmarks' repeated runs over the same files so that each
run reads every text as if for the first time (a real batch of other reports would not
find them all cached). The data files' loads (catalogues, vocabulary) stay cached: a
batch pays them once."""
from __future__ import annotations


def clear_text_caches() -> None:
    """Forget every text the stages have cached."""
    from certreport.extract import catalogue_rows, similar_labels, tables
    from certreport.normalise.values import parse_number
    from certreport.schemas import folds

    for func in (catalogue_rows.clause_number, catalogue_rows.number_value,
                 catalogue_rows.code_value, catalogue_rows.not_applicable, folds.fold,
                 folds._halfwidth, folds._compact, parse_number, tables._role_matcher,
                 similar_labels._closest_field):
        func.cache_clear()
