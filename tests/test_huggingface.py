"""Hugging Face: the card parses with huggingface_hub, marks one default config and a licence
per part, and `datasets.load_dataset` loads dist/ without a config name."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from conftest import ROOT
from huggingface_hub import DatasetCard

import sinopak

DIST = ROOT / "dist"


def test_card_metadata_parses_with_huggingface_hub() -> None:
    data = DatasetCard.load(DIST / "README.md").data.to_dict()
    assert data["license"] == "other"
    assert data["license_name"] == "cc-by-4.0-records-source-texts-publishers"
    assert data["license_link"].endswith("#licence")
    configs = data["configs"]
    assert [c["config_name"] for c in configs] == sinopak.tables()
    assert [c["config_name"] for c in configs if c.get("default")] == ["events"]
    for c in configs:
        assert (DIST / c["data_files"]).is_file()


LOAD = """
import json, sys, datasets
ds = datasets.load_dataset(sys.argv[1], cache_dir=sys.argv[2])
named = datasets.load_dataset(sys.argv[1], "documents", cache_dir=sys.argv[2])
def plain(rows):
    return [{k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in r.items()}
            for r in rows]
print(json.dumps({"splits": sorted(ds), "features": {k: str(v) for k, v in
    ds["train"].features.items()}, "rows": plain(ds["train"].to_list()),
    "documents": plain(named["train"].to_list())}))
"""


@pytest.mark.slow
def test_load_dataset_without_a_config_name(tmp_path: Path) -> None:
    env = {
        **os.environ,
        "HF_HOME": str(tmp_path / "hf"),
        "HF_DATASETS_OFFLINE": "1",
        "HF_HUB_OFFLINE": "1",
        "HF_HUB_DISABLE_TELEMETRY": "1",
    }
    result = subprocess.run(
        [sys.executable, "-c", LOAD, str(DIST), str(tmp_path / "cache")],
        capture_output=True,
        text=True,
        env=env,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr
    loaded = json.loads(result.stdout)
    assert loaded["splits"] == ["train"]
    events = json.loads((DIST / "json" / "events.json").read_text())
    assert loaded["rows"] == events  # the default config is the events table
    assert loaded["documents"] == json.loads((DIST / "json" / "documents.json").read_text())
    parquet = pq.ParquetFile(DIST / "parquet" / "events.parquet").schema_arrow
    assert "date32" in loaded["features"]["date_start"]
    assert "string" in loaded["features"]["cameo_code"]
    assert len(loaded["features"]) == len(parquet.names)
