"""schemas/labels.yaml: every check the code can raise has a name in each language, the
file is validated on load, and unknown keys show as they are."""
from __future__ import annotations

import re

import pytest

from certreport.labels import LABELS_PATH, Labels, _data, languages
from tests.conftest import ROOT


def _raised_checks() -> set[str]:
    """The check names of every Finding(...) in normalise/, and the archive checks."""
    names = set()
    for path in (ROOT / "normalise").glob("*.py"):
        names |= set(re.findall(r'Finding\(\s*"(\w+)"', path.read_text(encoding="utf-8")))
    from certreport.normalise import archive
    names |= {v for k, v in vars(archive).items() if k.isupper() and isinstance(v, str)
              and k in ("AUDITOR_OVERLAP", "CERT_NO_CONFLICT", "PROJECT_NO_CONFLICT")}
    return names


def test_every_check_has_a_name_in_each_language():
    names = _raised_checks()
    assert {"item_score", "total", "auditor_overlap", "special_items"} <= names
    checks = _data()["checks"]
    for name in names:
        assert name in checks and set(checks[name]["name"]) == set(languages()), name
    zh = Labels("zh")
    assert all(re.search(r"[\u4e00-\u9fff]", zh.check(n)) for n in names)


def test_unknown_keys_show_as_they_are():
    zh = Labels("zh")
    assert zh.check("no_such_check") == "no_such_check"
    assert zh("no_such_heading") == "no_such_heading"
    assert zh.message({"check_name": "total", "message": "something new"}) == "something new"
    with pytest.raises(ValueError, match="language"):
        Labels("fr")


def test_a_template_naming_an_unknown_group_is_refused(tmp_path, monkeypatch):
    from certreport import labels
    bad = LABELS_PATH.read_text(encoding="utf-8").replace("zh: '{t}：所写得分 {s} 超过其小类分值 {w}'",
                                                          "zh: '{t}：{nope}'")
    path = tmp_path / "labels.yaml"
    path.write_text(bad, encoding="utf-8")
    monkeypatch.setattr(labels, "LABELS_PATH", path)
    _data.cache_clear()
    try:
        with pytest.raises(ValueError, match="nope"):
            _data()
    finally:
        monkeypatch.undo()
        _data.cache_clear()
