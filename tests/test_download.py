"""Download over HTTP from a local server only (127.0.0.1): verified, cached, atomic."""

from __future__ import annotations

import functools
import http.server
import re
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import ROOT, run, tree_digest

from sinopak.downloader import DownloadError, download

VERSION_ZIP = "sinopak-0.1.0.zip"


class Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def served(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[str, Path]]:
    """A copy of dist/ served on 127.0.0.1; the cache goes to a temp folder."""
    root = tmp_path / "www"
    shutil.copytree(ROOT / "dist", root)
    monkeypatch.setenv("SINOPAK_CACHE", str(tmp_path / "cache"))
    monkeypatch.delenv("SINOPAK_OFFLINE", raising=False)
    for var in ("http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY"):
        monkeypatch.delenv(var, raising=False)
    handler = functools.partial(Quiet, directory=str(root))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/", root
    server.shutdown()
    server.server_close()


def package_files(folder: Path) -> dict[str, str]:
    return {
        k: v
        for k, v in tree_digest(folder).items()
        if k == "datapackage.json" or k.split("/")[0] in ("csv", "json", "parquet", "sources")
    }


def test_download_from_datapackage_url(served: tuple[str, Path], tmp_path: Path) -> None:
    url, _ = served
    dest = download(tmp_path / "out", url + "datapackage.json")
    assert package_files(dest) == package_files(ROOT / "dist")


def test_download_release_zip(served: tuple[str, Path], tmp_path: Path) -> None:
    url, _ = served
    dest = download(tmp_path / "out", url + VERSION_ZIP)
    assert package_files(dest) == package_files(ROOT / "dist")


def test_hash_mismatch_names_the_resource_and_leaves_nothing(
    served: tuple[str, Path], tmp_path: Path
) -> None:
    url, root = served
    path = root / "json" / "events.json"
    path.write_bytes(path.read_bytes().replace(b"2020-12-07", b"2020-12-09", 1))
    with pytest.raises(
        DownloadError,
        match=r"resource events-json \(json/events.json\): sha256 "
        "mismatch: expected .* the file was removed",
    ):
        download(tmp_path / "out", url + "datapackage.json")
    assert not (tmp_path / "out").exists()
    assert not any(p.name.startswith(".sinopak-") for p in tmp_path.iterdir())


def test_existing_destination_is_replaced_only_when_verified(
    served: tuple[str, Path], tmp_path: Path
) -> None:
    url, root = served
    dest = tmp_path / "out"
    dest.mkdir()
    (dest / "old.txt").write_text("previous")
    (root / "csv" / "posts.csv").write_text("tampered")
    with pytest.raises(DownloadError):
        download(dest, url + "datapackage.json")
    assert (dest / "old.txt").read_text() == "previous"


def test_offline_uses_the_cache(served: tuple[str, Path], tmp_path: Path) -> None:
    url, root = served
    download(tmp_path / "first", url + "datapackage.json")
    shutil.rmtree(root)  # the server has nothing any more
    dest = download(tmp_path / "second", url + "datapackage.json", offline=True)
    assert package_files(dest) == package_files(ROOT / "dist")


def test_offline_without_cache_fails_clearly(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SINOPAK_CACHE", str(tmp_path / "empty"))
    monkeypatch.setenv("SINOPAK_OFFLINE", "1")
    with pytest.raises(
        DownloadError, match=re.escape("offline and http://127.0.0.1:9/x.json is not in the cache")
    ):
        download(tmp_path / "out", "http://127.0.0.1:9/x.json")


def test_missing_file_is_a_clear_error(served: tuple[str, Path], tmp_path: Path) -> None:
    url, _ = served
    with pytest.raises(DownloadError, match="HTTP 404"):
        download(tmp_path / "out", url + "nothing/datapackage.json", retries=0)


def test_non_http_source_is_refused(tmp_path: Path) -> None:
    with pytest.raises(DownloadError, match="only http and https"):
        download(tmp_path / "out", "file:///etc/passwd", retries=0)


def test_cli_download_and_validate_url(served: tuple[str, Path], tmp_path: Path) -> None:
    url, _ = served
    result = run("download", str(tmp_path / "out"), "--source", url + "datapackage.json")
    assert result.exit_code == 0, result.output
    assert result.output.startswith("Downloaded and verified: ")
    result = run("validate", url + "datapackage.json")
    assert result.exit_code == 0, result.output
    result = run("validate", url + VERSION_ZIP)
    assert result.exit_code == 0, result.output


def test_transient_server_errors_are_retried(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = tmp_path / "www"
    shutil.copytree(ROOT / "dist", root)
    monkeypatch.setenv("SINOPAK_CACHE", str(tmp_path / "cache"))
    failures = {"left": 2}

    class Flaky(Quiet):
        def do_GET(self) -> None:
            if self.path.endswith("datapackage.json") and failures["left"] > 0:
                failures["left"] -= 1
                self.send_error(503, "busy")
                return
            super().do_GET()

    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(Flaky, directory=str(root))
    )
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}/datapackage.json"
        dest = download(tmp_path / "out", url, retries=3)
        assert failures["left"] == 0
        assert package_files(dest) == package_files(ROOT / "dist")
        failures["left"] = 5
        with pytest.raises(DownloadError, match=r"HTTP 503 .*"):
            download(tmp_path / "again", url, retries=1)
    finally:
        server.shutdown()
        server.server_close()


def test_a_stalled_server_times_out_cleanly(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import time

    monkeypatch.setenv("SINOPAK_CACHE", str(tmp_path / "cache"))

    class Stalled(Quiet):
        def do_GET(self) -> None:
            self.send_response(200)
            self.send_header("Content-Length", "100")
            self.end_headers()
            self.wfile.write(b'{"resources": [')
            self.wfile.flush()
            time.sleep(2)

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Stalled)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}/datapackage.json"
        with pytest.raises(DownloadError, match=r"transfer failed: .*after 1 attempts"):
            download(tmp_path / "out", url, timeout=0.3, retries=0)
        assert not (tmp_path / "out").exists()
    finally:
        server.shutdown()
        server.server_close()
